import type { IntervalSnapshot } from './protocol.js';

/** A source of load with its own recorder: autocannon, or our paced sender. */
export interface LoadUnit {
  /** What was counted since the previous tick. */
  tick(): Promise<IntervalSnapshot>;
  /** Resolves once the unit can send (a worker thread has booted). */
  ready: Promise<void>;
  /** Starts a paced schedule: request 0 is intended at epochUs (process.hrtime µs). No-op for autocannon. */
  begin(epochUs: number): void;
  /** Stops sending; returns what was counted since the previous tick. */
  stop(): Promise<IntervalSnapshot>;
}
