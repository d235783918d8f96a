/**
 * `flamebench collapse` through the command itself: a real process, real stdin/stdout, exit codes.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FLAMEGRAPH_PERF } from '../helpers/fixtures.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIX = FLAMEGRAPH_PERF;
const tmp = mkdtempSync(join(tmpdir(), 'flamebench-collapse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: Buffer | string): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'collapse', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

const expected = (name: string, opt: string) => readFileSync(`${FIX}/results/${name}-collapsed-${opt}.txt`);

describe('flamebench collapse perf', () => {
  // These inputs do not all end with a blank line: --perl-compat drops their last sample, as Perl does.
  it('reads a file, with an option', async () => {
    const r = await run(['perf', '--perl-compat', '--tid', `${FIX}/perf-iperf-stacks-pidtid-01.txt`]);
    expect(r.code).toBe(0);
    expect(r.stdout.equals(expected('perf-iperf-stacks-pidtid-01', 'tid'))).toBe(true);
  });
  it('reads stdin', async () => {
    const r = await run(['perf', '--perl-compat', '--kernel'], readFileSync(`${FIX}/perf-numa-stacks-01.txt`));
    expect(r.code).toBe(0);
    expect(r.stdout.equals(expected('perf-numa-stacks-01', 'kernel'))).toBe(true);
  });
  it('reads gzip, from a file and from stdin', async () => {
    const gz = join(tmp, 'vertx.txt.gz');
    writeFileSync(gz, gzipSync(readFileSync(`${FIX}/perf-vertx-stacks-01.txt`)));
    const a = await run(['perf', '--perl-compat', '--pid', gz]);
    expect(a.code).toBe(0);
    expect(a.stdout.equals(expected('perf-vertx-stacks-01', 'pid'))).toBe(true);
    const b = await run(['perf', '--perl-compat', '--jit'], readFileSync(gz));
    expect(b.stdout.equals(expected('perf-vertx-stacks-01', 'jit'))).toBe(true);
  });
  it('warns about unrecognised lines on stderr, never on stdout; no sample at all is exit 2', async () => {
    const r = await run(['perf'], 'this is not perf output\nnor this\n');
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toContain('skipped 2 unrecognised line(s)');
    expect(r.stderr).toContain('error[E_NO_STACKS]: no sample found in stdin');
  });
  it('exits 2 with a clear message on a missing file and on a bad option', async () => {
    const missing = await run(['perf', join(tmp, 'nope.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error\[E_INPUT_UNREADABLE\]: cannot read .*nope\.txt/);
    expect(missing.stdout.length).toBe(0);
    const bad = await run(['perf', '--no-such-flag', `${FIX}/perf-dd-stacks-01.txt`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--no-such-flag'");
  });
  it('has --help', async () => {
    const r = await run(['perf', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain('--event-filter <event>');
  });

  const perfWorks = spawnSync('perf', ['--version']).status === 0 && process.getuid?.() === 0;
  it.runIf(perfWorks)('perf record → perf.data → collapse perf perf.data (real perf)', async () => {
    const data = join(tmp, 'perf.data');
    // A short busy loop: software clock events work without hardware PMU access.
    const rec = spawnSync('perf', ['record', '-e', 'cpu-clock', '-F', '999', '-g', '-o', data, '--', process.execPath, '-e', 'let x=0; const t=Date.now(); while (Date.now()-t < 300) x++;'], { encoding: 'utf8' });
    expect(rec.status).toBe(0);
    const r = await run(['perf', data]);
    expect(r.code).toBe(0);
    const out = r.stdout.toString('latin1');
    expect(out.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect(out).toMatch(/^node;/m);
    // and the same as `perf script | flamebench collapse perf` of the same recording (the text
    // path is golden-tested against stackcollapse-perf.pl's outputs in test/stacks/perf-golden)
    const script = execFileSync('perf', ['script', '-i', data], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
    const piped = await run(['perf'], script);
    expect(piped.code).toBe(0);
    expect(r.stdout.equals(piped.stdout)).toBe(true);
  }, 30_000);
});

describe('flamebench collapse stap / bpftrace / jitprofile', () => {
  it('stap from a file', async () => {
    const r = await run(['stap', join(ROOT, 'test/fixtures/stap/sample-bt-kernel.bt')]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('start_kernel;rest_init;cpu_idle;default_idle;native_safe_halt 2404\n');
  });
  it('stap --lua-root resolves Lua frames from sources under the root', async () => {
    const root = join(tmp, 'lua');
    execFileSync('mkdir', ['-p', join(root, 'resty')]);
    const src = Array.from({ length: 70 }, (_, i) => (i === 64 ? 'local function _get_byte3(data, i)' : '--'));
    writeFileSync(join(root, 'resty/mysql.lua'), src.join('\n'));
    const r = await run(['stap', '--lua-root', root], 'C:0x7fe9faf52dd0\n@/home/agentzh/git/lua-resty-mysql/lib/resty/mysql.lua:65\n\t4\n');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('resty.mysql:_get_byte3;C:0x7fe9faf52dd0 4\n');
  });
  it('bpftrace from stdin', async () => {
    const r = await run(['bpftrace', '--map', '@us', '--strip-offsets'], readFileSync(join(ROOT, 'test/fixtures/bpftrace/offcpu-sh.raw.txt')));
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain('sh;__vfork;entry_SYSCALL_64_after_hwframe;');
  });
  it('jitprofile subcommand is registered (--help)', async () => {
    const r = await run(['jitprofile', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain('jitprofile');
  });
});
