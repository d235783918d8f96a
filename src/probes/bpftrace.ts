/**
 * bpftrace backend for the cpu and offcpu probes. bpftrace walks user stacks by frame pointer
 * only: on a build without them (Debian's nginx) user stacks stop after a frame or two, which
 * the meta warnings say. Kernel stacks are fine.
 */
import { rmSync, createReadStream } from 'node:fs';
import path from 'node:path';
import type { RunPaths } from '../runs/paths.js';
import type { CpuProbeSpec, OffcpuProbeSpec } from '../scenario/types.js';
import { collapseBpftrace, collapseBpftraceStream } from '../stacks/bpftrace.js';
import { addStack, totalWeight, type Folded } from '../stacks/folded.js';
import { readFile } from 'node:fs/promises';
import type { RunningNginx } from '../nginx/types.js';
import { which } from './env.js';
import { sampledProbe, offCpuTimeProbe, writeProbeOutput } from './output.js';
import { MAX_RECORD_SECONDS } from './perf.js';
import { lastLines, recorderProbe, spawnRecorder, type Recorder } from './recorder-process.js';
import type { RunningProbe } from './types.js';
import { runFailed } from '../errors.js';

export const FP_WARNING =
  'bpftrace unwinds user stacks with frame pointers only; this nginx (like Debian\'s) is built without them, so user stacks stop after a frame or two — use backend: perf (dwarf) for C-level user stacks';

function pidFilter(field: string, pids: number[]): string {
  if (pids.length === 0) throw runFailed('E_PROBE_NO_PIDS', 'no worker pids to trace', 'nginx has no workers');
  return pids.map((p) => `${field} == ${Math.floor(p)}`).join(' || ');
}

export function bpftraceCpuProgram(spec: CpuProbeSpec, pids: number[]): string {
  return `profile:hz:${Math.floor(spec.frequency)} /${pidFilter('pid', pids)}/ { @[comm, ustack, kstack] = count(); }\n`;
}

/** Off-CPU by tid: the switch-out records time, stacks and state; the switch-in (as next_pid) sums the µs, one map per state. */
export const OFFCPU_STATES: Array<{ map: string; state: string; test: string }> = [
  { map: '@R', state: 'R', test: '$s == 0' },
  { map: '@S', state: 'S', test: '$s == 1' },
  { map: '@D', state: 'D', test: '$s == 2' },
  // TASK_REPORT_MAX: preempted while runnable, which perf prints as "R+"
  { map: '@Rp', state: 'R+', test: '$s == 256' },
  { map: '@other', state: 'other', test: '1' },
];

export function bpftraceOffcpuProgram(pids: number[]): string {
  const branches = OFFCPU_STATES.map((b, i) => `${i === 0 ? 'if' : ' else if'} (${b.test}) { ${b.map}[$c, $us, $ks] = sum($d); }`).join('');
  return [
    `tracepoint:sched:sched_switch /${pidFilter('args->prev_pid', pids)}/ {`,
    '  @ts[args->prev_pid] = nsecs; @ks[args->prev_pid] = kstack; @us[args->prev_pid] = ustack;',
    '  @st[args->prev_pid] = args->prev_state; @cm[args->prev_pid] = comm;',
    '}',
    'tracepoint:sched:sched_switch /@ts[args->next_pid]/ {',
    '  $t = args->next_pid; $d = (nsecs - @ts[$t]) / 1000; $s = @st[$t]; $c = @cm[$t]; $us = @us[$t]; $ks = @ks[$t];',
    `  ${branches}`,
    '  delete(@ts[$t]);',
    '}',
    'END { clear(@ts); clear(@ks); clear(@us); clear(@st); clear(@cm); }',
    '',
  ].join('\n');
}

/**
 * bpftrace prints "Attaching N probes..." before it loads and attaches them, which takes ~80 ms
 * here and seconds on a busy machine: a probe ready on that text missed the start of the window,
 * or a short window entirely. With this variable set (bpftrace's own runtime tests use it; 0.17
 * and later) it says so on stderr once every probe is attached.
 */
const ATTACHED = '__BPFTRACE_NOTIFY_PROBES_ATTACHED';

/**
 * bpftrace resolves user symbols only when it prints its maps, after SIGINT. With ASLR on (the
 * default) 0.17 caches nothing: every frame of every stack builds a fresh bcc symbol cache for the
 * pid (reads /proc/<pid>/maps, opens and CRC-checks each DSO's ELF and debug link), so printing
 * cost grows with frames × stacks: 0.5–2 s for a quiet 2 s window here, and past the 30 s grace
 * (killed, nothing kept) about 1 run in 20 on a busy machine. The cache is keyed by the traced
 * pid's executable: right for nginx workers, which all fork from one master after it has mapped
 * the binary and its libraries, so their addresses are the same in every worker.
 */
const CACHE_USER_SYMBOLS = { BPFTRACE_CACHE_USER_SYMBOLS: '1' };

async function startBpftrace(id: string, program: string, paths: RunPaths): Promise<{ rec: Recorder; outFile: string }> {
  const outFile = path.join(paths.rawDir, `${id}.bpftrace.txt`);
  rmSync(outFile, { force: true });
  const rec = await spawnRecorder(which('bpftrace') ?? 'bpftrace', ['-o', outFile, '-e', program], {
    label: `probe ${id} (bpftrace)`,
    env: { [ATTACHED]: '1', ...CACHE_USER_SYMBOLS },
    readyText: ATTACHED,
    readyTimeoutMs: 20_000,
    maxSeconds: MAX_RECORD_SECONDS,
  });
  return { rec, outFile };
}

/**
 * After SIGINT bpftrace runs END, then resolves and prints every map entry: seconds of CPU for a
 * big map on a busy machine. A fixed grace (30 s) killed it mid-way about 1 run in 20 (nothing
 * kept), so it may take as long as it keeps using CPU; one that does nothing for 30 s is stuck.
 */
export const BPFTRACE_STOP_IDLE_MS = 30_000;
export const BPFTRACE_STOP_MAX_MS = 180_000;

async function stopBpftrace(rec: Recorder, id: string): Promise<void> {
  const early = rec.exited();
  const r = await rec.stopWhileWorking(BPFTRACE_STOP_IDLE_MS, BPFTRACE_STOP_MAX_MS);
  if (early && r.code !== 0) throw runFailed('E_PROBE_RECORD', `probe ${id} (bpftrace) stopped by itself (code ${r.code}): ${lastLines(rec.stderr())}`, 'see the message above');
  // bpftrace prints its maps only after SIGINT; killed before it was done, it printed none of them.
  if (!early && r.killed) {
    const why =
      r.killed.reason === 'idle'
        ? `used no CPU for ${BPFTRACE_STOP_IDLE_MS / 1000} s after being stopped`
        : `was still printing ${BPFTRACE_STOP_MAX_MS / 1000} s after being stopped`;
    throw runFailed(
      'E_PROBE_RECORD',
      `probe ${id} (bpftrace) ${why} and was killed (${r.killed.state}): nothing of what it recorded is kept`,
      'bpftrace resolves every stack before printing, which takes long on a busy machine with many distinct stacks (frame-pointer-less builds give many); use backend: perf',
    );
  }
}

export async function startBpftraceCpu(spec: CpuProbeSpec, nginx: RunningNginx, paths: RunPaths): Promise<RunningProbe> {
  const pids = [...nginx.workerPids];
  const { rec, outFile } = await startBpftrace(spec.id, bpftraceCpuProgram(spec, pids), paths);
  return recorderProbe(rec, async () => {
    await stopBpftrace(rec, spec.id);
    const { stacks, report } = await collapseBpftraceStream(createReadStream(outFile));
    return writeProbeOutput(paths, stacks, {
      ...sampledProbe(spec),
      pids,
      sampleCount: report.entries > 0 ? totalWeight(stacks) : 0,
      report,
      truncated: false,
      warnings: report.truncatedUserStacks > 0 ? [`${FP_WARNING} (${report.truncatedUserStacks} of ${report.entries} stacks cut short)`] : [],
      extra: { backend: 'bpftrace', truncatedUserStacks: report.truncatedUserStacks, entries: report.entries, rawData: path.relative(paths.dir, outFile) },
    });
  });
}

export async function startBpftraceOffcpu(spec: OffcpuProbeSpec, nginx: RunningNginx, paths: RunPaths): Promise<RunningProbe> {
  const pids = [...nginx.workerPids];
  const { rec, outFile } = await startBpftrace(spec.id, bpftraceOffcpuProgram(pids), paths);
  return recorderProbe(rec, async () => {
    await stopBpftrace(rec, spec.id);
    const text = await readFile(outFile, 'utf8');
    const stacks: Folded = new Map();
    const stateUs: Record<string, number> = {};
    let truncatedUser = 0;
    let entries = 0;
    let skipped = 0;
    const examples: string[] = [];
    let idleDroppedUs = 0;
    let noStackUs = 0;
    for (const b of OFFCPU_STATES) {
      const r = collapseBpftrace(text, { map: b.map });
      truncatedUser += r.report.truncatedUserStacks;
      entries += r.report.entries;
      if (b === OFFCPU_STATES[0]) {
        skipped = r.report.skipped;
        examples.push(...r.report.examples);
      }
      for (const [k, us] of r.stacks) {
        // without user frames the event loop is invisible: the kernel's epoll wait is the idle sign
        if (!spec.keepIdle && /(^|;)(do_epoll_wait|__x64_sys_epoll_wait|__x64_sys_epoll_pwait)(;|$)/.test(k)) {
          idleDroppedUs += us;
          continue;
        }
        // A switch-out always has kernel frames: a key with none lost both stacks (bpf_get_stackid
        // failed). Kept (the time is real) and said, so a flame graph without frames is explained.
        if (!k.includes(';')) noStackUs += us;
        stateUs[b.state] = (stateUs[b.state] ?? 0) + us;
        addStack(stacks, `${k};[state:${b.state}]`, us);
      }
    }
    const warnings = truncatedUser > 0 ? [`${FP_WARNING} (${truncatedUser} of ${entries} stacks cut short)`] : [];
    if (noStackUs > 0) warnings.push(`${noStackUs} µs of off-CPU time were recorded without any stack (bpftrace could not store the stacks of those switches); they appear as '<comm>;[state:…]'`);
    if (!spec.keepIdle && idleDroppedUs > 0) warnings.push(`idle waits in epoll_wait dropped: ${idleDroppedUs} µs (keepIdle: true keeps them)`);
    return writeProbeOutput(paths, stacks, {
      ...offCpuTimeProbe(spec),
      pids,
      sampleCount: entries,
      report: { skipped, examples },
      truncated: false,
      warnings,
      extra: { backend: 'bpftrace', stateUs, idleDroppedUs, noStackUs, keepIdle: spec.keepIdle, truncatedUserStacks: truncatedUser, rawData: path.relative(paths.dir, outFile) },
    });
  });
}
