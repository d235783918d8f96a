/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json; the types in
 * jlfwong/speedscope src/lib/file-format-spec.ts): shared frames, and per profile a "sampled"
 * profile whose samples are stacks of frame indices, outermost first, each with a weight.
 * Units: speedscope has no "samples", so sample counts are 'none'; off-CPU waits are
 * 'microseconds', which speedscope then shows as time.
 */
import { compareStacks } from '../stacks/folded.js';
import { framesOf, type ExportProfile } from './profile.js';

export type SpeedscopeUnit = 'none' | 'nanoseconds' | 'microseconds' | 'milliseconds' | 'seconds' | 'bytes';

export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  version: string;
  name: string;
  exporter: string;
  activeProfileIndex: number;
  shared: { frames: Array<{ name: string }> };
  profiles: Array<{
    type: 'sampled';
    name: string;
    unit: SpeedscopeUnit;
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }>;
}

/** One speedscope file holding every given profile (frames shared); deterministic: stacks in folded order. */
export function toSpeedscope(profiles: readonly ExportProfile[], opts: { name: string; exporter: string }): SpeedscopeFile {
  const frames: Array<{ name: string }> = [];
  const index = new Map<string, number>();
  const frameIndex = (name: string): number => {
    let i = index.get(name);
    if (i === undefined) {
      i = frames.length;
      frames.push({ name });
      index.set(name, i);
    }
    return i;
  };
  const out = profiles.map((p) => {
    const samples: number[][] = [];
    const weights: number[] = [];
    for (const stack of [...p.stacks.keys()].sort(compareStacks)) {
      const w = p.stacks.get(stack) as number;
      if (!(w > 0)) continue;
      samples.push(framesOf(stack).map(frameIndex));
      weights.push(w);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    return { type: 'sampled' as const, name: p.name, unit: p.unit === 'microseconds' ? ('microseconds' as const) : ('none' as const), startValue: 0, endValue: total, samples, weights };
  });
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    version: '0.0.1',
    name: opts.name,
    exporter: opts.exporter,
    activeProfileIndex: 0,
    shared: { frames },
    profiles: out,
  };
}
