// `node scripts/fault-matrix.mjs [--interrupts N] [--no-interrupts]`: the process and input side of the fault
// matrix (docs/reliability.md), counted. Runs the CLI from source on bad inputs and with real
// signals at random moments of real runs, and prints
//   bad inputs tried / handled, interrupts tried / clean, processes left.
// "Handled": the expected exit code, a message about the fault itself, a clear error (no E_INTERNAL, no stack trace, no raw
// control byte), within 60 s. "Clean": the expected exit code, run.json not "in progress", no
// temp file, no process of the run left. Needs nginx (npm run bootstrap); the full-disk case
// needs root (mount tmpfs). Exit 1 when anything was not handled or not clean.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..');
const cli = [process.execPath, '--import', 'tsx', path.join(repo, 'src/cli/main.ts')];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-matrix-'));
const interruptsArg = process.argv.indexOf('--interrupts');
const randomInterrupts = interruptsArg > 0 ? Number(process.argv[interruptsArg + 1]) : 6;
const isRoot = process.getuid?.() === 0;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const file = (name, text) => {
  const p = path.join(tmp, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const ok = 'openresty:\n  config: "server { listen 127.0.0.1:{{port}}; location / { return 200; } }"\n';

function runCli(args, timeoutMs = 60_000) {
  const r = spawnSync(cli[0], [...cli.slice(1), ...args], { cwd: repo, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, signal: r.signal, out: `${r.stdout}${r.stderr}` };
}

// ---------------------------------------------------------------- bad inputs
const bomb = ['a: &a ["l","l","l","l","l","l","l","l","l"]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`), ok].join('\n');
const dirScenario = path.join(tmp, 'a-directory');
mkdirSync(path.join(tmp, 'lua'), { recursive: true });
mkdirSync(dirScenario, { recursive: true });
const existing = file('existing-file', 'x');
const badInputs = [
  ['scenario that does not exist', ['validate', path.join(tmp, 'nope.yaml')], 2, /no such file/],
  ['a directory as the scenario', ['validate', dirScenario], 2, /is a directory|EISDIR/],
  ['/dev/zero as the scenario', ['validate', '/dev/zero'], 2, /larger than/],
  ['a 5 MiB scenario', ['validate', file('huge.yaml', `# ${'x'.repeat(5 * 1024 * 1024)}\n${ok}`)], 2, /larger than/],
  ['YAML alias bomb', ['validate', file('bomb.yaml', bomb)], 2, /too large/],
  ['101 aliases', ['validate', file('aliases.yaml', `x: &x 1\nl:\n${'  - *x\n'.repeat(101)}${ok}`)], 2, /more than 100 aliases/],
  ['60k keys', ['validate', file('keys.yaml', `${ok}  variables:\n${Array.from({ length: 60_000 }, (_, i) => `    v${i}: ${i}\n`).join('')}`)], 2, /keys and list items/],
  ['duplicate key', ['validate', file('dup.yaml', `${ok}load:\n  connections: 1\n  connections: 2\n`)], 2, /unique/],
  ['unknown key', ['validate', file('unknown.yaml', `${ok}  wrkers: 2\n`)], 2, /unknown key "wrkers"/],
  ['unclosed quote', ['validate', file('quote.yaml', `${ok}load:\n  path: "/x\n`)], 2, /Missing closing/],
  ['empty file', ['validate', file('empty.yaml', '')], 2, /the scenario is empty/],
  ['a list as the document', ['validate', file('list.yaml', '- a\n- b\n')], 2, /must be|object|mapping/],
  ['binary garbage', ['validate', file('binary.yaml', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)))], 2, /./],
  ['control bytes in keys and file name', ['validate', file('evil\u001b]0;x\u0007.yaml', `${ok}  wr\u001b[2Jkers: 1\n`)], 2, /unknown key/],
  ['partial {{> x}}', ['validate', file('partial.yaml', 'openresty:\n  config: "server { listen 127.0.0.1:{{port}}; } {{> x}}"\n')], 2, /uses a partial/],
  ['{{lookup this "constructor"}}', ['validate', file('lookup.yaml', 'openresty:\n  config: "server { listen 127.0.0.1:{{port}}; } #{{lookup this \\"constructor\\"}}"\n')], 2, /looks up "constructor"/],
  ['{{this.__proto__}}', ['validate', file('proto.yaml', 'openresty:\n  config: "server { listen 127.0.0.1:{{port}}; } #{{this.__proto__}}"\n')], 2, /reads "__proto__"/],
  ['unknown template variable', ['validate', file('var.yaml', 'openresty:\n  config: "server { listen {{lisen}}; }"\n')], 2, /lisen/],
  ['a directory in files:', ['validate', file('filesdir.yaml', `${ok}  files: [lua]\n`)], 2, /is a directory/],
  ['a missing file in files:', ['validate', file('filesmissing.yaml', `${ok}  files: [nope.lua]\n`)], 2, /file not found/],
  ['configFile is a directory', ['validate', file('confdir.yaml', 'openresty:\n  configFile: lua\n')], 2, /is a directory/],
  ['non-loopback host', ['validate', file('host.yaml', `${ok}load:\n  host: 10.0.0.1\n`)], 2, /not loopback/],
  ['nginx rejects the config', ['run', file('bogus.yaml', 'openresty:\n  config: "server { listen 127.0.0.1:{{port}}; bogus_directive on; }"\n'), '--out', path.join(tmp, 'r-bogus'), '-q'], 2, /bogus_directive/],
  ['--out /etc/passwd/x', ['run', 'scenarios/hello.yaml', '--out', '/etc/passwd/x', '-q'], 3, /is a file, not a directory/],
  ['--out /sys/kernel/x', ['run', 'scenarios/hello.yaml', '--out', '/sys/kernel/x', '-q'], 3, /not permitted/],
  ['--out an existing file', ['run', 'scenarios/hello.yaml', '--out', existing, '-q'], 3, /not a directory/],
  ['--out /proc/x', ['run', 'scenarios/hello.yaml', '--out', '/proc/x', '-q'], 3, /does not allow new directories/],
];

async function busyPortCase() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const port = srv.address().port;
  const s = file('busy.yaml', `openresty:\n  config: "server { listen 127.0.0.1:{{port}}; } server { listen 127.0.0.1:${port}; }"\n`);
  const r = await new Promise((resolve) => {
    const c = spawn(cli[0], [...cli.slice(1), 'run', s, '--out', path.join(tmp, 'r-busy'), '-q'], { cwd: repo });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', (code) => resolve({ code, out }));
  });
  srv.close();
  return { ...r, named: r.out.includes(`port ${port} is already in use`) };
}

function handled(r, expected) {
  return r.code === expected && !/E_INTERNAL|\n\s+at /.test(r.out) && !RAW_CONTROL.test(r.out.replace(/\n|\t/g, ''));
}

let inputsTried = 0;
let inputsHandled = 0;
const report = (ok2, what, detail) => console.log(`${ok2 ? 'ok  ' : 'FAIL'}  ${what}${ok2 ? '' : `  ${detail}`}`);
console.log('# bad inputs');
for (const [what, args, expected, says] of badInputs) {
  inputsTried++;
  const r = runCli(args);
  const good = handled(r, expected) && says.test(r.out);
  if (good) inputsHandled++;
  report(good, what, `exit ${r.code ?? r.signal}: ${r.out.slice(0, 300)}`);
}
{
  inputsTried++;
  const r = await busyPortCase();
  const good = handled(r, 3) && r.named;
  if (good) inputsHandled++;
  report(good, 'template hard-codes a busy port', `exit ${r.code}: ${r.out.slice(0, 300)}`);
}
if (isRoot) {
  inputsTried++;
  const mnt = path.join(tmp, 'full');
  mkdirSync(mnt);
  // 40 KiB left: run.json and nginx.conf fit, perf.data and the ~60 KB report never do.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  const st = statfsSync(mnt);
  writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(Math.max(0, st.bavail * st.bsize - 40 * 1024)));
  try {
    const out = path.join(mnt, 'r');
    const r = runCli(['run', 'scenarios/hello.yaml', '--duration', '2', '--warmup', '0', '--out', out, '-q']);
    const m = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8'));
    const good = handled(r, 6) && m.error?.code === 'E_STORAGE' && tempFiles(out).length === 0;
    if (good) inputsHandled++;
    report(good, 'full disk (tmpfs with 40 KiB free)', `exit ${r.code}: ${r.out.slice(0, 300)}`);
  } finally {
    spawnSync('umount', [mnt]);
  }
}

// ---------------------------------------------------------------- interrupts
function tempFiles(dir) {
  return [dir, path.join(dir, 'stacks'), path.join(dir, 'nginx')].flatMap((d) => (existsSync(d) ? readdirSync(d).filter((n) => n.includes('.tmp-')) : []));
}
function running(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]);
  } catch {
    return false;
  }
}
/** nginx master + workers of the run (run.json), anything naming the run directory (perf -o …). */
function processesOf(dir, m) {
  const pids = new Set();
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const cmd = readFileSync(`/proc/${n}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(`${dir}/`) && !cmd.includes('main.ts')) pids.add(Number(n));
    } catch {
      /* gone */
    }
  }
  for (const p of [m?.target?.masterPid, ...(m?.target?.workerPids ?? [])]) if (p) pids.add(p);
  return [...pids].filter(running);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const readManifest = (dir) => {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8'));
  } catch {
    return null;
  }
};

/** One run of hello with its probe, interrupted by `signals` (sent `gapMs` apart) `delayMs` after the window started. */
async function interruptRun(name, signals, delayMs, gapMs, expectCode) {
  const out = path.join(tmp, `int-${name}`);
  const child = spawn(cli[0], [...cli.slice(1), 'run', 'scenarios/hello.yaml', '--duration', '20', '--warmup', '1', '--out', out, '-q'], { cwd: repo, detached: true, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('close', (code, signal) => r({ code, signal })));
  let m0 = null;
  for (let i = 0; i < 200 && !m0?.timings?.measureStartedAt; i++) {
    await sleep(150);
    m0 = readManifest(out);
  }
  if (delayMs < 0) await sleep(Math.random() * 3000);
  else await sleep(delayMs);
  m0 = readManifest(out) ?? m0;
  for (const s of signals) {
    process.kill(s === 'SIGKILL' ? child.pid : -child.pid, s);
    await sleep(gapMs);
  }
  const r = await exited;
  let left = processesOf(out, m0);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await sleep(100);
    left = processesOf(out, m0);
  }
  if (signals.includes('SIGKILL')) runCli(['doctor', '--json']); // marks the killed run's run.json
  const m = readManifest(out);
  const codeOk = expectCode === 'killed' ? r.signal === 'SIGKILL' : r.code === expectCode;
  const clean = codeOk && m && m.error?.code !== 'E_IN_PROGRESS' && tempFiles(out).length === 0 && left.length === 0;
  return { clean, left: left.length, detail: `exit ${r.code ?? r.signal}, status ${m?.status}/${m?.error?.code}, temp ${tempFiles(out).length}, left ${left.join(',')}` };
}

const interrupts = [
  ['sigint', ['SIGINT'], 1000, 0, 130],
  ['sigterm', ['SIGTERM'], 1000, 0, 130],
  ['sighup', ['SIGHUP'], 1000, 0, 130],
  ['double-sigint', ['SIGINT', 'SIGINT'], 1000, 50, 130],
  ['double-sigint-slow', ['SIGINT', 'SIGINT'], 1000, 700, 130],
  ['sigterm-sighup', ['SIGTERM', 'SIGHUP'], 1000, 100, 130],
  ['triple-sigint', ['SIGINT', 'SIGINT', 'SIGINT'], 1000, 30, 130],
  ['sigkill', ['SIGKILL'], 1000, 0, 'killed'],
  ...Array.from({ length: randomInterrupts }, (_, i) => [`random-${i}`, [i % 2 ? 'SIGTERM' : 'SIGINT'], -1, 0, 130]),
];
console.log('# interrupts');
let intTried = 0;
let intClean = 0;
let processesLeft = 0;
for (const [name, signals, delay, gap, code] of process.argv.includes('--no-interrupts') ? [] : interrupts) {
  intTried++;
  const r = await interruptRun(name, signals, delay, gap, code);
  if (r.clean) intClean++;
  processesLeft += r.left;
  report(r.clean, `${name} (${signals.join(' ')})`, r.detail);
}

rmSync(tmp, { recursive: true, force: true });
console.log(`\nbad inputs tried / handled: ${inputsTried} / ${inputsHandled}`);
console.log(`interrupts tried / clean: ${intTried} / ${intClean}`);
console.log(`processes left: ${processesLeft}`);
process.exit(inputsTried === inputsHandled && intTried === intClean && processesLeft === 0 ? 0 : 1);
