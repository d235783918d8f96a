import { loadManifest } from '../runs/load.js';

/** The `--json` summary of a run: the numbers a script wants, read back from the run directory. */
export async function runSummaryJson(dir: string): Promise<Record<string, unknown>> {
  const { paths, manifest: m } = await loadManifest(dir);
  return {
    runDir: paths.dir,
    report: paths.report,
    status: m.status,
    error: m.error,
    scenario: m.scenario.name,
    variant: m.variant,
    requests: m.load?.requests ?? null,
    rps: m.load?.rps ?? null,
    errors: m.load?.errors ?? null,
    latencyUs: m.load?.latencyUs ?? null,
    workerCpuPct: m.cpu.summary?.workerPctMean ?? null,
    workerCpuUsPerRequest: m.cpu.summary?.workerCpuUsPerRequest ?? null,
    loaderCpuPct: m.cpu.summary?.loaderPctMean ?? null,
    loaderBound: m.loaderBound,
    probes: m.probes.map((p) => ({ id: p.id, status: p.status, samples: p.samples ?? null, error: p.error ?? null })),
  };
}
