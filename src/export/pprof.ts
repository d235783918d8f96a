/**
 * pprof (profile.proto, gzipped) for Pyroscope, Grafana and `go tool pprof`, encoded with
 * DataDog's `pprof-format` (maintained, no dependencies, typed, encodes and decodes — the test
 * decodes what we write). One function and one location per distinct frame name; samples list
 * their locations leaf first, as profile.proto requires. On-CPU samples are `samples/count` with
 * a `cpu/nanoseconds` period of 1e9/frequency; off-CPU waits are `off_cpu/microseconds`.
 */
import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import { compareStacks } from '../stacks/folded.js';
import { framesOf, type ExportProfile } from './profile.js';

export function toPprof(p: ExportProfile, opts: { durationNanos?: number } = {}): Profile {
  const strings = new StringTable();
  const functions: PprofFunction[] = [];
  const locations: Location[] = [];
  const ids = new Map<string, number>();
  const locationOf = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = ids.size + 1; // ids start at 1: 0 means "none" in profile.proto
      ids.set(name, id);
      functions.push(new PprofFunction({ id, name: strings.dedup(name), systemName: strings.dedup(name) }));
      locations.push(new Location({ id, line: [new Line({ functionId: id })] }));
    }
    return id;
  };
  const samples: Sample[] = [];
  for (const stack of [...p.stacks.keys()].sort(compareStacks)) {
    const w = p.stacks.get(stack) as number;
    if (!(w > 0)) continue;
    samples.push(new Sample({ locationId: framesOf(stack).map(locationOf).reverse(), value: [w] }));
  }
  const micro = p.unit === 'microseconds';
  const sampleType = new ValueType({ type: strings.dedup(micro ? 'off_cpu' : 'samples'), unit: strings.dedup(micro ? 'microseconds' : 'count') });
  const period = !micro && p.frequencyHz ? Math.round(1e9 / p.frequencyHz) : 0;
  return new Profile({
    sampleType: [sampleType],
    sample: samples,
    location: locations,
    function: functions,
    stringTable: strings,
    ...(period > 0 ? { periodType: new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }), period } : {}),
    ...(opts.durationNanos ? { durationNanos: Math.round(opts.durationNanos) } : {}),
    comment: [strings.dedup(`flamebench ${p.name}`)],
  });
}

/** The gzipped bytes of the profile, as pprof tools read them. */
export function encodePprof(p: ExportProfile, opts: { durationNanos?: number } = {}): Buffer {
  return gzipSync(toPprof(p, opts).encode());
}
