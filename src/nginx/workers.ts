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

export interface WorkerTracker {
  /** Current worker pid per slot (what the CPU sampler reads). */
  pids(): number[];
  /** From now on CPU counts towards the window. */
  startWindow(): void;
  /**
   * Worker CPU µs since startWindow(): every worker that lived in the window counts, those that
   * exited with their last reading, those started later from zero. Never negative.
   */
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
  /** CPU µs at the window start (or 0 when started during the window); null before the window. */
  base: number | null;
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
    known.set(pid, { pid, startTicks: processStartTicks(pid), slot: slots++, base: null, last: processCpuMicrosPrecise(pid) ?? 0, gone: false });
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
      const cpu = processCpuMicrosPrecise(pid) ?? 0;
      // Born during the window: all of its CPU time is the window's.
      known.set(pid, { pid, startTicks: processStartTicks(pid), slot, base: windowOpen ? 0 : null, last: cpu, gone: false });
      events.push({ atMs: Date.now() - t0, kind: 'started', pid, slot, inWindow: windowOpen });
    }
  };
  const timer = setInterval(poll, WORKER_POLL_MS);
  timer.unref();

  return {
    pids() {
      const bySlot: number[] = [];
      for (const k of known.values()) if (!k.gone) bySlot[k.slot] = k.pid;
      return bySlot.filter((p) => p !== undefined);
    },
    startWindow() {
      poll();
      windowOpen = true;
      // a worker gone before this window is not in it, whatever it counted in an earlier one
      for (const k of known.values()) k.base = k.gone ? null : k.last;
    },
    windowCpuUs() {
      poll();
      let sum = 0;
      for (const k of known.values()) if (k.base !== null) sum += Math.max(0, k.last - k.base);
      return sum;
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
