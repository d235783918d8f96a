import { describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { formatCpuList, planPlacement, readUsableCpus } from '../../src/nginx/index.js';
import { parseCpuRanges } from '../../src/util/proc.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('planPlacement defaults', () => {
  const table: Array<{ online: number[]; workers: number; nginx: number[]; loader: number[]; warn: RegExp | null }> = [
    { online: [0], workers: 1, nginx: [0], loader: [0], warn: /only one CPU/ },
    { online: [0, 1], workers: 1, nginx: [0], loader: [1], warn: null },
    { online: [0, 1], workers: 2, nginx: [0], loader: [1], warn: /2 nginx workers share 1 CPU/ },
    { online: [0, 1, 2], workers: 1, nginx: [0], loader: [1, 2], warn: null },
    { online: [0, 1, 2, 3], workers: 1, nginx: [0], loader: [1, 2, 3], warn: null },
    { online: [0, 1, 2, 3], workers: 2, nginx: [0, 1], loader: [2, 3], warn: null },
    { online: [0, 1, 2, 3], workers: 4, nginx: [0, 1], loader: [2, 3], warn: /4 nginx workers share 2/ },
    // From 8 CPUs on, the last one is left to the harness and perf.
    { online: range(8), workers: 2, nginx: [0, 1], loader: [2, 3, 4, 5, 6], warn: null },
    { online: range(64), workers: 8, nginx: range(8), loader: range(63).slice(8), warn: null },
    { online: range(64), workers: 64, nginx: range(31), loader: range(63).slice(31), warn: /64 nginx workers share 31/ },
    // Offline CPUs are skipped: the list is what exists, not 0..n-1.
    { online: [2, 3, 6, 7], workers: 1, nginx: [2], loader: [3, 6, 7], warn: null },
  ];
  for (const row of table) {
    it(`${formatCpuList(row.online)} online, ${row.workers} worker(s) → nginx ${formatCpuList(row.nginx)}, loader ${formatCpuList(row.loader)}`, () => {
      const p = planPlacement('auto', 'auto', row.workers, row.online);
      expect(p.nginxCpus).toEqual(row.nginx);
      expect(p.loaderCpus).toEqual(row.loader);
      if (row.warn) expect(p.warnings.join('\n')).toMatch(row.warn);
      else expect(p.warnings).toEqual([]);
      // nginx never gets more CPUs than workers, and on ≥ 2 CPUs never shares one by default.
      expect(new Set(p.nginxCpus).size).toBeLessThanOrEqual(row.workers);
      if (row.online.length >= 2) expect(p.nginxCpus.filter((c) => p.loaderCpus.includes(c))).toEqual([]);
    });
  }
});

describe('planPlacement with explicit CPUs', () => {
  it('keeps both lists and warns on overlap', () => {
    const p = planPlacement([0, 1], [1], 2, [0, 1]);
    expect(p).toMatchObject({ nginxCpus: [0, 1], loaderCpus: [1] });
    expect(p.warnings.join('\n')).toMatch(/share CPU 1/);
  });

  it('gives the loader the rest when only nginx is set', () => {
    expect(planPlacement([1], 'auto', 1, range(4))).toEqual({ nginxCpus: [1], loaderCpus: [0, 2, 3], warnings: [] });
  });

  it('gives nginx the rest (one per worker) when only the loader is set', () => {
    expect(planPlacement('auto', [0], 2, range(4))).toEqual({ nginxCpus: [1, 2], loaderCpus: [0], warnings: [] });
  });

  it('shares with a warning when one side takes every CPU', () => {
    const p = planPlacement([0, 1], 'auto', 2, [0, 1]);
    expect(p.loaderCpus).toEqual([0, 1]);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/loader shares them with nginx/);
  });

  it('treats [] as "do not pin"', () => {
    expect(planPlacement([], [], 1, [0, 1])).toEqual({ nginxCpus: [], loaderCpus: [], warnings: [] });
    expect(planPlacement([], 'auto', 1, [0, 1])).toMatchObject({ nginxCpus: [], loaderCpus: [] });
  });

  it('rejects CPUs that are not online, naming them and the online set', () => {
    try {
      planPlacement([0, 7], 'auto', 1, [0, 1]);
      expect.unreachable();
    } catch (e) {
      expect(isFlamebenchError(e) && e.code).toBe('E_CPU_NOT_ONLINE');
      expect(isFlamebenchError(e) && e.kind).toBe('invalidInput');
      expect((e as Error).message).toMatch(/openresty\.cpus names CPU 7.*online: 0-1/);
    }
    expect(() => planPlacement('auto', [2], 1, [0, 1])).toThrow(/load\.cpus names CPU 2/);
  });

  it('rejects a non-positive worker count', () => {
    expect(() => planPlacement('auto', 'auto', 0, [0, 1])).toThrow(/workers/);
  });
});

describe('CPU lists', () => {
  it('parses and formats the kernel syntax', () => {
    expect(parseCpuRanges('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuRanges('0')).toEqual([0]);
    expect(() => parseCpuRanges('0-x')).toThrow();
    expect(formatCpuList([3, 0, 1, 2, 8, 10, 11])).toBe('0-3,8,10-11');
  });

  it('reads the usable CPUs of this machine', () => {
    const cpus = readUsableCpus();
    expect(cpus.length).toBeGreaterThan(0);
    expect(cpus).toEqual([...cpus].sort((a, b) => a - b));
  });
});
