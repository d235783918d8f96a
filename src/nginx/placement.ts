import { readFileSync } from 'node:fs';
import os from 'node:os';
import { invalidInput } from '../errors.js';
import { cpusAllowed, parseCpuRanges } from '../util/proc.js';

export interface Placement {
  /** CPUs for the nginx workers, in worker order (worker i → nginxCpus[i % length]); [] = not pinned. */
  nginxCpus: number[];
  /** CPUs for the loader process and its threads; [] = not pinned. */
  loaderCpus: number[];
  warnings: string[];
}

/** From this many usable CPUs on, one is left to the harness itself and the probes' recorders. */
const SPARE_CPU_FROM = 8;

/**
 * Where nginx workers and the loader run (issue 5: nginx pinned to one set, the loader to the
 * rest). Pure: the caller passes the CPUs that exist (readUsableCpus()).
 *
 * Defaults ('auto'): nginx gets one CPU per worker from the front of the list, at most half of
 * the usable CPUs (autocannon needs at least as much CPU as the workers it drives, see
 * DESIGN.md); the loader gets the rest; from 8 CPUs on, the last one is left free for the
 * harness and perf. On 2 CPUs: nginx on the first, loader on the second. On 1: both share it.
 * An explicit [] means "do not pin".
 */
export function planPlacement(
  nginx: 'auto' | number[],
  loader: 'auto' | number[],
  workers: number,
  onlineCpus: number[],
): Placement {
  const online = [...new Set(onlineCpus)].sort((a, b) => a - b);
  if (online.length === 0) throw invalidInput('E_NO_CPUS', 'no online CPUs were found', 'check /sys/devices/system/cpu/online');
  if (!Number.isInteger(workers) || workers < 1) {
    throw invalidInput('E_WORKERS', `openresty.workers must be a positive integer, got ${workers}`, 'set openresty.workers to 1 or more');
  }
  if (nginx !== 'auto') checkExists('openresty.cpus', nginx, online);
  if (loader !== 'auto') checkExists('load.cpus', loader, online);

  const warnings: string[] = [];
  let nginxCpus: number[];
  let loaderCpus: number[];

  if (nginx !== 'auto' && loader !== 'auto') {
    nginxCpus = [...nginx];
    loaderCpus = [...loader];
  } else if (nginx !== 'auto') {
    nginxCpus = [...nginx];
    const rest = online.filter((c) => !nginx.includes(c));
    if (nginx.length > 0 && rest.length === 0) {
      loaderCpus = online;
      warnings.push(`openresty.cpus takes every CPU (${fmt(online)}): the loader shares them with nginx`);
    } else {
      loaderCpus = nginx.length === 0 ? [] : rest;
    }
  } else if (loader !== 'auto') {
    loaderCpus = [...loader];
    const rest = online.filter((c) => !loader.includes(c));
    if (rest.length === 0) {
      nginxCpus = online.slice(0, Math.min(workers, online.length));
      warnings.push(`load.cpus takes every CPU (${fmt(online)}): nginx shares them with the loader`);
    } else {
      nginxCpus = rest.slice(0, Math.min(workers, rest.length));
    }
  } else if (online.length === 1) {
    nginxCpus = online;
    loaderCpus = online;
    warnings.push(`only one CPU (${online[0]}) is online: nginx and the loader share it, so worker CPU cannot reach 100%`);
  } else {
    const spare = online.length >= SPARE_CPU_FROM ? 1 : 0;
    const usable = online.slice(0, online.length - spare);
    const nginxCount = Math.max(1, Math.min(workers, Math.floor(usable.length / 2)));
    nginxCpus = usable.slice(0, nginxCount);
    loaderCpus = usable.slice(nginxCount);
  }

  // The branches above already explained an overlap they had to make.
  const overlapExplained = warnings.length > 0;
  const overlap = nginxCpus.filter((c) => loaderCpus.includes(c));
  if (overlap.length > 0 && !overlapExplained) {
    warnings.push(`nginx and the loader share CPU ${fmt([...new Set(overlap)])}: the loader's CPU use competes with the workers'`);
  }
  const distinctNginx = new Set(nginxCpus).size;
  if (distinctNginx > 0 && workers > distinctNginx) {
    warnings.push(`${workers} nginx workers share ${distinctNginx} CPU(s) (${fmt([...new Set(nginxCpus)])}): each worker gets less than one core`);
  }
  return { nginxCpus, loaderCpus, warnings };
}

function checkExists(field: string, cpus: number[], online: number[]): void {
  const missing = cpus.filter((c) => !Number.isInteger(c) || !online.includes(c));
  if (missing.length > 0) {
    throw invalidInput(
      'E_CPU_NOT_ONLINE',
      `${field} names CPU ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not online here (online: ${fmt(online)})`,
      `use CPUs from ${fmt(online)}, or 'auto'`,
    );
  }
}

/** 0,1,2,5 → "0-2,5" */
export function formatCpuList(cpus: number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
const fmt = formatCpuList;

/**
 * CPUs this process may use: /sys/devices/system/cpu/online (os.cpus() when unreadable),
 * intersected with our own affinity mask, so that a container's cpuset is respected.
 */
export function readUsableCpus(): number[] {
  let online: number[];
  try {
    online = parseCpuRanges(readFileSync('/sys/devices/system/cpu/online', 'utf8'));
  } catch {
    online = os.cpus().map((_, i) => i);
  }
  const allowed = cpusAllowed('self');
  const usable = allowed ? online.filter((c) => allowed.includes(c)) : online;
  return usable.length > 0 ? usable : online;
}
