import type { IntervalSnapshot } from './protocol.js';

/** A source of load with its own recorder: autocannon, or our paced sender. */
export interface LoadUnit {
  /** What was counted since the previous tick. */
  tick(): Promise<IntervalSnapshot>;
  /** Stops sending; returns what was counted since the previous tick. */
  stop(): Promise<IntervalSnapshot>;
}
