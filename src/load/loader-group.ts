/**
 * The coordinator of several loaders (load.hosts): one LoaderLink over many, so measured-run.ts
 * and saturate mode drive them as one. It splits each plan's connections (or the rate) across the
 * loaders, says 'go' / passes 'warmup-done' / 'window-done' / 'stopped' on only once every loader
 * got there (no wall clocks), merges each measured second from every loader's snapshots (the HDR
 * histograms travel whole, so the merge is exact), and records each loader's share and the start
 * skew. A loader that dies ends the group: the seconds merged so far (and the dead one's missing
 * part of the last second, from the others) are kept by measured-run as a partial window.
 */
import type { DistributedLoad, LoaderShare } from '../runs/types.js';
import type { LoaderLink } from './loader-link.js';
import { split } from './plan.js';
import type { ChildMessage, IntervalSnapshot, LoadPhase, ParentMessage, RunPlan, UnitConfig } from './protocol.js';
import type { StreamLoader } from './stream-loader.js';
import { Listeners } from './listeners.js';

/** Loader i's part of a plan: every unit's connections split k ways; paced units interleave one common schedule. */
export function planForLoader(plan: RunPlan, i: number, k: number): RunPlan {
  const units: UnitConfig[] = plan.units.map((u) =>
    u.kind === 'paced'
      ? { ...u, connections: split(u.connections, k)[i] as number, index: i * u.stride + u.index, stride: u.stride * k }
      : { ...u, connections: split(u.connections, k)[i] as number },
  );
  return { ...plan, units };
}

interface PendingTick {
  phase: LoadPhase;
  second: number;
  byLoader: Map<number, { intervalMs: number; snaps: IntervalSnapshot[] }>;
}

interface LoaderState {
  connections: number;
  requests: number;
  cpuAtStart: number | null;
  cpuAtEnd: number | null;
  windowMs: number;
}

export class LoaderGroup implements LoaderLink {
  readonly pinned = false;
  private readonly messageListeners = new Listeners<[ChildMessage]>();
  private readonly exitListeners = new Listeners<[]>();
  private closing = false;
  private exitedFlag = false;
  private counts = new Map<string, Set<number>>();
  private pending = new Map<string, PendingTick>();
  private state: LoaderState[];
  private lastCpu: number[];
  private warmupArrivals: number[] = [];
  private measureArrivals: number[] = [];
  private endingSent = false;

  constructor(readonly loaders: readonly StreamLoader[]) {
    this.state = loaders.map(() => ({ connections: 0, requests: 0, cpuAtStart: null, cpuAtEnd: null, windowMs: 0 }));
    this.lastCpu = loaders.map(() => 0);
    loaders.forEach((l, i) => {
      l.onMessage((m) => this.fromLoader(i, m));
      l.onExit(() => this.loaderExited(i));
    });
  }

  get pid(): number {
    return this.loaders[0]?.pid ?? 0;
  }

  get exited(): boolean {
    return this.exitedFlag;
  }

  send(m: ParentMessage): void {
    if (m.type === 'run') {
      this.counts.clear();
      this.pending.clear();
      this.endingSent = false;
      this.warmupArrivals = [];
      this.measureArrivals = [];
      this.loaders.forEach((l, i) => {
        const part = planForLoader(m.plan, i, this.loaders.length);
        this.state[i] = { connections: part.units.reduce((n, u) => n + u.connections, 0), requests: 0, cpuAtStart: null, cpuAtEnd: null, windowMs: 0 };
        l.send({ type: 'run', plan: part });
      });
      return;
    }
    for (const l of this.loaders) l.send(m);
  }

  onMessage(fn: (m: ChildMessage) => void): () => void {
    return this.messageListeners.add(fn);
  }

  onExit(fn: () => void): () => void {
    return this.exitListeners.add(fn);
  }

  kill(): void {
    for (const l of this.loaders) l.kill();
  }

  async close(graceMs = 2000): Promise<void> {
    this.closing = true;
    await Promise.all(this.loaders.map((l) => l.close(graceMs)));
  }

  /** Each loader's share of the last measured window and the start skew. */
  record(): DistributedLoad {
    const loaders: LoaderShare[] = this.loaders.map((l, i) => {
      const s = this.state[i] as LoaderState;
      const secs = s.windowMs / 1000;
      const cpuUs = s.cpuAtStart !== null && s.cpuAtEnd !== null ? s.cpuAtEnd - s.cpuAtStart : 0;
      return {
        host: l.label,
        hostname: l.hostname,
        connections: s.connections,
        requests: s.requests,
        rps: secs > 0 ? Math.round((s.requests / secs) * 10) / 10 : 0,
        cpuPct: secs > 0 ? Math.round((cpuUs / 1000 / s.windowMs) * 1000) / 10 : 0,
      };
    });
    return { loaders, startSkewMs: { warmup: spread(this.warmupArrivals), measure: spread(this.measureArrivals) } };
  }

  private emit(m: ChildMessage): void {
    this.messageListeners.emit(m);
  }

  /** True once every loader has sent this message type (counted per run). */
  private allSent(type: string, i: number): boolean {
    let set = this.counts.get(type);
    if (!set) this.counts.set(type, (set = new Set()));
    set.add(i);
    return set.size === this.loaders.length;
  }

  private fromLoader(i: number, m: ChildMessage): void {
    const label = this.loaders[i]?.label ?? String(i);
    switch (m.type) {
      case 'ready':
        return;
      case 'tick':
        this.tick(i, m);
        return;
      case 'units-ready':
        // The go message's send is the warm-up's start for every loader; its arrival spread is channel latency.
        if (this.allSent(m.type, i)) this.emit(m);
        return;
      case 'measure-started': {
        this.measureArrivals.push(performance.now());
        const s = this.state[i] as LoaderState;
        s.cpuAtStart = this.lastCpu[i] as number;
        if (this.allSent(m.type, i)) {
          // Warm-up ticks still waiting for a slower loader are progress only: drop them.
          for (const [key, p] of this.pending) if (p.phase === 'warmup') this.pending.delete(key);
          this.emit(m);
        }
        return;
      }
      case 'warmup-done':
        // Every loader warms up for the same time after its go: this spread is the warm-up starts' spread.
        this.warmupArrivals.push(performance.now());
        if (this.allSent(m.type, i)) this.emit(m);
        return;
      case 'ending':
        if (!this.endingSent) {
          this.endingSent = true;
          this.emit(m);
        }
        return;
      case 'window-done':
        // A channel keeps order: once every loader said window-done, every measured second is here.
        if (this.allSent(m.type, i)) {
          this.flushPending(true);
          this.emit(m);
        }
        return;
      case 'stopped':
        if (this.allSent(m.type, i)) this.emit(m);
        return;
      case 'error':
        this.emit({ type: 'error', message: `${label}: ${m.message}` });
        return;
    }
  }

  private tick(i: number, m: Extract<ChildMessage, { type: 'tick' }>): void {
    this.lastCpu[i] = m.cpuUs;
    const s = this.state[i] as LoaderState;
    if (m.phase === 'measure') {
      s.cpuAtEnd = m.cpuUs;
      s.windowMs += m.intervalMs;
      s.requests += m.snaps.reduce((n, x) => n + x.requests, 0);
    }
    const key = `${m.phase}:${m.second}`;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { phase: m.phase, second: m.second, byLoader: new Map() }));
    p.byLoader.set(i, { intervalMs: m.intervalMs, snaps: m.snaps });
    if (p.byLoader.size === this.liveCount()) {
      this.pending.delete(key);
      this.emitMerged(p);
    }
  }

  private emitMerged(p: PendingTick): void {
    const parts = [...p.byLoader.values()];
    const intervalMs = parts.reduce((a, x) => a + x.intervalMs, 0) / parts.length;
    this.emit({ type: 'tick', phase: p.phase, second: p.second, intervalMs, snaps: parts.flatMap((x) => x.snaps), cpuUs: 0 });
  }

  /** Measured seconds some loader has not sent (it died, or the window ended): merged from what arrived, in order. */
  private flushPending(force: boolean): void {
    const measured = [...this.pending.values()].filter((p) => p.phase === 'measure').sort((a, b) => a.second - b.second);
    for (const p of measured) {
      if (!force && p.byLoader.size < this.liveCount()) continue; // the others are still on their way
      this.pending.delete(`${p.phase}:${p.second}`);
      this.emitMerged(p);
    }
  }

  private liveCount(): number {
    return this.loaders.filter((l) => !l.exited).length;
  }

  private loaderExited(i: number): void {
    if (this.closing || this.exitedFlag) return;
    this.exitedFlag = true;
    const l = this.loaders[i];
    if (l?.channelError) this.emit({ type: 'error', message: `${l.label}: channel failed: ${l.channelError}` });
    else this.emit({ type: 'error', message: `${l?.label ?? i}: the loader exited or lost its channel` });
    // Keep every second that some loader measured, then stop the others and report the death.
    this.flushPending(true);
    for (const other of this.loaders) if (other !== l) other.send({ type: 'abort' });
    this.exitListeners.emit();
  }
}

function spread(times: readonly number[]): number {
  if (times.length < 2) return 0;
  return Math.round((Math.max(...times) - Math.min(...times)) * 100) / 100;
}
