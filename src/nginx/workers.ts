import { childPids, processCmdline, processCpuMicrosPrecise, processStartTicks } from '../util/proc.js';

/** How often the master's children are read: a worker that dies loses at most this much of its CPU time. */
export const WORKER_POLL_MS = 100;

export interface WorkerEvent {
  /** ms since the tracker started. */
  atMs: number;
  kind: 'exited' | 'started';
  pid: number;
  /** The slot (0-based) the worker held: a respawned worker takes its predecessor's slot. */
  slot: number;
  inWindow: boolean;
}

/** The workers' CPU readings at one moment, to measure CPU from. */
interface WorkerCpuMark {
  /** CPU µs of each worker alive then. */
  readonly base: ReadonlyMap<number, number>;
  /** Every worker known then, alive or gone: one not among them was started later. */
  readonly known: ReadonlySet<number>;
}

export interface WorkerTracker {
  /** Current worker pid per slot (what the CPU sampler reads). */
  pids(): number[];
  /**
   * Worker CPU µs from now on, for any span (a tuning step): the returned function gives what every
   * worker used since — those that exited up to their last reading, those started later from
   * zero, never negative. The measured window is startWindow's.
   */
  cpuFromNow(): () => number;
  /** The measured window starts now: its CPU (windowCpuUs) and whether a worker event falls in it. */
  startWindow(): void;
  /** Worker CPU µs since startWindow(), counted as cpuFromNow counts it. */
  windowCpuUs(): number;
  events(): WorkerEvent[];
  /** One line per worker that died or was started after the first ones, for run.json, report and terminal. */
  warnings(): string[];
  stop(): void;
}

interface Known {
  pid: number;
  startTicks: number | null;
  slot: number;
  last: number;
  gone: boolean;
}

const isWorker = (pid: number) => /worker process/.test(processCmdline(pid) ?? '');

/**
 * Follows nginx's workers by reading the master's children from /proc: a worker that crashes or
 * is killed is replaced by the master with a new pid, which the tracker picks up in the same slot.
 */
export function trackWorkers(masterPid: number, initial: number[]): WorkerTracker {
  const t0 = Date.now();
  const known = new Map<number, Known>();
  const events: WorkerEvent[] = [];
  let windowOpen = false;
  let slots = 0;
  for (const pid of initial) {
    known.set(pid, { pid, startTicks: processStartTicks(pid), slot: slots++, last: processCpuMicrosPrecise(pid) ?? 0, gone: false });
  }

  const poll = () => {
    for (const k of known.values()) {
      if (k.gone) continue;
      const now = processStartTicks(k.pid) === k.startTicks ? processCpuMicrosPrecise(k.pid) : null;
      if (now === null) {
        k.gone = true;
        events.push({ atMs: Date.now() - t0, kind: 'exited', pid: k.pid, slot: k.slot, inWindow: windowOpen });
      } else k.last = now;
    }
    for (const pid of childPids(masterPid)) {
      if (known.has(pid) || !isWorker(pid)) continue;
      const used = new Set([...known.values()].filter((k) => !k.gone).map((k) => k.slot));
      let slot = 0;
      while (used.has(slot)) slot++;
      slots = Math.max(slots, slot + 1);
      known.set(pid, { pid, startTicks: processStartTicks(pid), slot, last: processCpuMicrosPrecise(pid) ?? 0, gone: false });
      events.push({ atMs: Date.now() - t0, kind: 'started', pid, slot, inWindow: windowOpen });
    }
  };
  const timer = setInterval(poll, WORKER_POLL_MS);
  timer.unref();

  const mark = (): WorkerCpuMark => {
    poll();
    const live = [...known.values()].filter((k) => !k.gone);
    return { base: new Map(live.map((k) => [k.pid, k.last])), known: new Set(known.keys()) };
  };
  const cpuSince = (m: WorkerCpuMark): number => {
    poll();
    let sum = 0;
    for (const k of known.values()) {
      const base = m.base.get(k.pid);
      // alive at the mark: what it used since; started later: all it used; gone before: nothing
      if (base !== undefined) sum += Math.max(0, k.last - base);
      else if (!m.known.has(k.pid)) sum += k.last;
    }
    return sum;
  };
  let measured: WorkerCpuMark | null = null;

  return {
    pids() {
      const bySlot: number[] = [];
      for (const k of known.values()) if (!k.gone) bySlot[k.slot] = k.pid;
      return bySlot.filter((p) => p !== undefined);
    },
    cpuFromNow() {
      const m = mark();
      return () => cpuSince(m);
    },
    startWindow() {
      measured = mark();
      windowOpen = true;
    },
    windowCpuUs() {
      return measured ? cpuSince(measured) : 0;
    },
    events: () => events.slice(),
    warnings() {
      const exits = events.filter((e) => e.kind === 'exited');
      return exits.map((e) => {
        const next = events.find((s) => s.kind === 'started' && s.slot === e.slot && s.atMs >= e.atMs);
        const when = e.inWindow ? 'during the measured window' : 'outside the measured window';
        return (
          `nginx worker ${e.pid} exited ${when} (${(e.atMs / 1000).toFixed(1)} s after start; see nginx/error.log)` +
          (next ? `; the master started worker ${next.pid} in its place, which is followed from then on (probes attached to the old pid do not see it)` : '; no replacement was started') +
          (e.inWindow ? `; its CPU time counts up to its last reading (at most ${WORKER_POLL_MS} ms before it exited)` : '')
        );
      });
    },
    stop() {
      clearInterval(timer);
    },
  };
}
