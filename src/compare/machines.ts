/**
 * Did both sides run on the same kind of machine? CPU per request depends on the CPU model, the
 * kernel, the core count and the nginx build as much as on the change under test, so a comparison
 * across machines measures the machines. Runs without a recorded environment are not judged.
 */
import type { RunEnvironment } from '../runs/types.js';
import type { RunForCompare } from './read.js';
import type { MachineCheck } from './types.js';

const FACTS: ReadonlyArray<{ label: string; of: (e: RunEnvironment) => string }> = [
  { label: 'CPU model', of: (e) => e.cpuModel },
  { label: 'kernel', of: (e) => e.kernel },
  { label: 'cores', of: (e) => String(e.cores) },
  // Only the first line of `nginx -V` names the version; the configure arguments follow. Both matter.
  { label: 'nginx -V', of: (e) => e.nginxVersion.trim() },
];

/** The distinct values of one fact on a side, from the runs that recorded an environment. */
function values(runs: readonly RunForCompare[], of: (e: RunEnvironment) => string): string[] {
  return [...new Set(runs.flatMap((r) => (r.manifest.environment ? [of(r.manifest.environment)] : [])))].sort();
}

/** A short form for the verdict's first line: nginx -V is long, its first line says enough there. */
const short = (v: string) => (v.split('\n')[0] ?? '').slice(0, 80);

export function machineCheck(a: readonly RunForCompare[], b: readonly RunForCompare[], allowed: boolean): MachineCheck {
  const differences: string[] = [];
  for (const f of FACTS) {
    const va = values(a, f.of);
    const vb = values(b, f.of);
    if (va.length === 0 || vb.length === 0) continue;
    if (va.join('\u0000') !== vb.join('\u0000')) {
      const same = va.map(short).join(', ') === vb.map(short).join(', ');
      differences.push(`${f.label}: ${va.map(short).join(', ')} vs ${vb.map(short).join(', ')}${same ? ' (build options differ)' : ''}`);
    }
  }
  return { same: differences.length === 0, differences, allowed };
}
