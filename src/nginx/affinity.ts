/**
 * worker_cpu_affinity masks: one per worker, worker i on cpus[i % cpus.length], as bit strings
 * with CPU 0 as the rightmost bit (nginx's format), all of the same width. [] when not pinning.
 */
export function affinityMasks(workers: number, cpus: number[]): string[] {
  if (cpus.length === 0) return [];
  const width = Math.max(...cpus) + 1;
  const masks: string[] = [];
  for (let i = 0; i < workers; i++) {
    const cpu = cpus[i % cpus.length] as number;
    masks.push('0'.repeat(width - 1 - cpu) + '1' + '0'.repeat(cpu));
  }
  return masks;
}

/** The CPU each worker should be pinned to, in worker order. */
export function expectedWorkerCpus(workers: number, cpus: number[]): number[] {
  return cpus.length === 0 ? [] : Array.from({ length: workers }, (_, i) => cpus[i % cpus.length] as number);
}
