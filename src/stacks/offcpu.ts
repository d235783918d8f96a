/**
 * C-level off-CPU time from `perf record -e sched:sched_switch --switch-events --call-graph …`
 * printed by `perf script --show-switch-events`.
 *
 * What perf prints (perf 6.1, per-task recording): the sched_switch tracepoint fires while the
 * task is still current, so each switch-out comes as a `sched:sched_switch` sample with the
 * stack where it blocked; the switch-in exists only as a `PERF_RECORD_SWITCH IN` side-band
 * record of the same tid. A sample's off-CPU time is therefore "the tid's next SWITCH IN minus
 * the sample's time". sched_switch events naming our tid as next_pid never arrive with `-p`.
 */
import { addStack, noteSkipped, type Folded, type ParseReport } from './folded.js';
import { frameGroup, type FrameOptions } from './perf-frames.js';
import { matchFrame } from './perf-lines.js';

export interface OffcpuOptions {
  /** Keep nginx's idle wait (epoll_wait under ngx_process_events_and_timers). Default false. */
  keepIdle?: boolean;
  /** Drop waits shorter than this, µs (they are still counted in the stats). Default 0. */
  minMicros?: number;
}

export interface OffcpuStats {
  /** sched_switch samples seen. */
  switchOuts: number;
  /** Of those, paired with a switch-in and kept in the folded output. */
  paired: number;
  /** Switch-outs with no switch-in before the recording ended (or a lost record). */
  unpaired: number;
  /** Idle waits (epoll_wait in the event loop) dropped, and their µs. */
  idleDropped: number;
  idleDroppedUs: number;
  /** µs per prev_state letter (S, R, D, …), kept samples only. */
  stateUs: Record<string, number>;
  /** PERF_RECORD_SWITCH IN records seen (0 means --switch-events was missing). */
  switchIns: number;
}

export interface OffcpuResult {
  stacks: Folded;
  report: ParseReport;
  stats: OffcpuStats;
}

const FRAME_OPTS: FrameOptions = { annotateKernel: false, annotateJit: false, includeAddrs: false, tidyJava: false, perlCompatible: false };

/** "comm [pid/]tid [cpu] secs.frac: rest" — comm may hold spaces, so the numbers anchor the match. */
const HEADER = /^(\S.*?)\s+(\d+)(?:\/(\d+))?\s+(?:\[\d+\]\s+)?(\d+)\.(\d+):\s*(.*)$/;
const PREV_STATE = /\bprev_state=(\S+)/;

interface PendingOut {
  timeUs: number;
  stack: string;
  state: string;
  idle: boolean;
}

/** Line-at-a-time pairing, so a driver can stream `perf script` through it. */
export class OffcpuPairer {
  readonly stacks: Folded = new Map();
  readonly report: ParseReport = { skipped: 0, examples: [] };
  readonly stats: OffcpuStats = {
    switchOuts: 0,
    paired: 0,
    unpaired: 0,
    idleDropped: 0,
    idleDroppedUs: 0,
    stateUs: {},
    switchIns: 0,
  };
  private readonly keepIdle: boolean;
  private readonly minMicros: number;
  private readonly pending = new Map<number, PendingOut>();
  private lineNo = 0;
  // the sched_switch sample being read (its frame lines follow the header)
  private cur: { tid: number; comm: string; timeUs: number; state: string; frames: string[] } | null = null;

  constructor(opts: OffcpuOptions = {}) {
    this.keepIdle = opts.keepIdle ?? false;
    this.minMicros = opts.minMicros ?? 0;
  }

  push(rawLine: string): void {
    this.lineNo++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.length === 0) {
      this.endSample();
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 32 || c0 === 9) {
      if (!this.cur) return; // frames of an event we do not use
      const f = matchFrame(line);
      if (!f) return this.skip(line);
      const g = frameGroup(f.pc, f.rawfunc, f.mod, FRAME_OPTS);
      if (g !== null) this.cur.frames.push(g);
      return;
    }
    if (c0 === 35) return; // '#' comment lines of perf script headers
    this.endSample();
    const m = HEADER.exec(line);
    if (!m) return this.skip(line);
    const tid = Number(m[3] ?? m[2]);
    const timeUs = toMicros(m[4] as string, m[5] as string);
    const rest = m[6] as string;
    if (rest.startsWith('PERF_RECORD_SWITCH')) {
      // "PERF_RECORD_SWITCH IN" / "PERF_RECORD_SWITCH OUT [preempt]"; the _CPU_WIDE form has the same words
      if (/\bIN\b/.test(rest)) this.switchIn(tid, timeUs);
      return;
    }
    if (rest.includes('sched_switch:')) {
      const state = PREV_STATE.exec(rest)?.[1] ?? '?';
      this.cur = { tid, comm: (m[1] as string).trim(), timeUs, state, frames: [] };
      return;
    }
    // other events (none expected) are ignored, not errors
  }

  /** Ends the input: open switch-outs stay unpaired. */
  finish(): OffcpuResult {
    this.endSample();
    this.stats.unpaired += this.pending.size;
    this.pending.clear();
    return { stacks: this.stacks, report: this.report, stats: this.stats };
  }

  private endSample(): void {
    const s = this.cur;
    if (!s) return;
    this.cur = null;
    this.stats.switchOuts++;
    // perf prints leaf first; folded is root first, with comm as the root as stackcollapse-perf does
    const frames = s.frames.slice().reverse();
    const stack = [s.comm.replaceAll(' ', '_'), ...frames].join(';');
    const prev = this.pending.get(s.tid);
    if (prev) this.stats.unpaired++; // two switch-outs in a row: a lost switch-in record
    this.pending.set(s.tid, { timeUs: s.timeUs, stack, state: s.state, idle: isIdleWait(frames) });
  }

  private switchIn(tid: number, timeUs: number): void {
    this.stats.switchIns++;
    const out = this.pending.get(tid);
    if (!out) return; // switch-in without a recorded switch-out (start of recording)
    this.pending.delete(tid);
    const us = Math.max(0, timeUs - out.timeUs);
    if (out.idle && !this.keepIdle) {
      this.stats.idleDropped++;
      this.stats.idleDroppedUs += us;
      return;
    }
    if (us < this.minMicros) return;
    this.stats.paired++;
    this.stats.stateUs[out.state] = (this.stats.stateUs[out.state] ?? 0) + us;
    addStack(this.stacks, `${out.stack};[state:${out.state}]`, us);
  }

  private skip(line: string): void {
    noteSkipped(this.report, this.lineNo, line);
  }
}

/**
 * nginx's idle wait: the event loop blocked in epoll_wait. Frames of a static build are
 * `[nginx]` for ngx_epoll_process_events, so the test is "epoll_wait somewhere under
 * ngx_process_events_and_timers".
 */
export function isIdleWait(rootFirstFrames: readonly string[]): boolean {
  const loop = rootFirstFrames.findIndex((f) => f.includes('ngx_process_events_and_timers'));
  if (loop < 0) return false;
  for (let i = loop + 1; i < rootFirstFrames.length; i++) {
    const f = rootFirstFrames[i] as string;
    if (f.includes('epoll_wait') || f.includes('epoll_pwait')) return true;
  }
  return false;
}

/** Seconds "408" + fraction "689663" (µs, or ns with --ns) → integer µs, without float rounding drift. */
function toMicros(secs: string, frac: string): number {
  const f = (frac + '000000').slice(0, 6);
  return Number(secs) * 1_000_000 + Number(f);
}

/** Pure form over a whole `perf script --show-switch-events` text. */
export function pairOffcpu(text: string, opts: OffcpuOptions = {}): OffcpuResult {
  const p = new OffcpuPairer(opts);
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) p.push(text.slice(start));
      break;
    }
    p.push(text.slice(start, nl));
    start = nl + 1;
  }
  return p.finish();
}
