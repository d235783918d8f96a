/**
 * A profile to export: one probe's folded stacks with the unit of their counts. The exporters
 * (speedscope.ts, pprof.ts) read only this, so a run's probes and a loose folded file export alike.
 */
import type { Folded } from '../stacks/folded.js';
import type { StackUnit } from '../runs/types.js';

export interface ExportProfile {
  /** Probe id, or the folded file's name. */
  name: string;
  /** samples (on-CPU probes) or microseconds (off-CPU waits). */
  unit: StackUnit;
  /** Sampling frequency, when the counts are samples at a known rate (pprof's period). */
  frequencyHz: number | null;
  stacks: Folded;
}

/** Frames of a folded stack, root first (folded lines are `root;child;leaf count`). */
export function framesOf(stack: string): string[] {
  return stack.split(';');
}
