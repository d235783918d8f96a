import { readFileSync } from 'node:fs';
import { FlamebenchError, isFlamebenchError } from '../errors.js';
import { interrupted } from './interrupt.js';
import type { RunOptions } from './index.js';
import { saveRun } from '../runs/save.js';
import { formatRunSummary } from './summary.js';
import { checkConnectionCapacity, detectLoaderBound, emptyWindowError, formatLoadSummary, readConnectionCapacity, runLoad } from '../load/index.js';
import { checkProbes, collectInjections, startProbes, sweepPerfMaps, type StartedProbes } from '../probes/index.js';
import { selectLuajit } from '../luajit/select.js';
import type { RunPaths } from '../runs/paths.js';
import { cpuConflicts, liveRunFor } from '../runs/live-runs.js';
import type { CpuSample, LoadResult, ProbeStatus, RunManifest } from '../runs/types.js';
import type { Scenario } from '../scenario/types.js';
import {
  describeEnvironment,
  findNginx,
  planPlacement,
  readUsableCpus,
  trackWorkers,
  type WorkerTracker,
  startCpuSampler,
  startTarget,
  summarizeCpu,
} from '../nginx/index.js';
import type { Target } from '../nginx/types.js';
import { terminalSafe } from '../util/terminal.js';


/**
 * How the measured part of a run ended: the load result worth keeping (null when already on disk or
 * never measured) and why the run is not ok. Failures after the run directory exists travel here as
 * data; what throws is a failure before anything was measured, or a bug.
 */
export interface ExecuteResult {
  load: LoadResult | null;
  failure: FlamebenchError | null;
}

/**
 * The run's sequence. Mutates `manifest` as facts arrive so that the caller can persist
 * whatever was reached when something throws.
 */
export async function executeRun(
  scenario: Scenario,
  paths: RunPaths,
  manifest: RunManifest,
  opts: RunOptions,
): Promise<ExecuteResult> {
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${terminalSafe(line)}\n`);
  };
  const installation = await findNginx(scenario.openresty.binary);
  const luajit = await selectLuajit(scenario.openresty.luajit, installation);
  manifest.environment = { ...(await describeEnvironment(installation)), luajit: luajit.record };

  const placement = planPlacement(scenario.openresty.cpus, scenario.load.cpus, scenario.openresty.workers, readUsableCpus());
  manifest.warnings.push(...placement.warnings);
  const liveRun = liveRunFor(paths.dir);
  liveRun?.setCpus(placement.nginxCpus, placement.loaderCpus);
  for (const w of cpuConflicts(placement.nginxCpus, placement.loaderCpus, liveRun?.file)) {
    manifest.warnings.push(w);
    say(`warning: ${w}`);
  }

  const isRoot = process.getuid?.() === 0;
  const probeChecks = await checkProbes(scenario.probes, { isRoot, nginx: installation });
  const usable = scenario.probes.filter((p) => probeChecks.find((c) => c.id === p.id)?.status === 'ok');
  // Available probes start with the measured window; until then (and if the run never gets there) they are 'skipped'.
  manifest.probes = probeChecks.map((c) =>
    c.status === 'ok' ? { ...c, status: 'skipped', warnings: [...c.warnings, 'not started: the run ended before its measured window'] } : c,
  );
  for (const c of probeChecks) if (c.status === 'unavailable') say(`probe ${c.id}: unavailable — ${c.error?.message ?? ''}`);

  let target: Target | null = null;
  // Set from the load's hooks: held in an object, since TypeScript does not track assignments in callbacks.
  const live: { probes: StartedProbes | null; loaderPid: number | null; phase: CpuSample['phase']; workers: WorkerTracker | null } = {
    workers: null,
    probes: null,
    loaderPid: null,
    phase: 'idle',
  };
  let sampler: ReturnType<typeof startCpuSampler> | null = null;
  // A full disk at a checkpoint does not stop the measurement: the run goes on, keeps what fits, and ends with exit 6.
  const storage: { error: FlamebenchError | null } = { error: null };
  const checkpoint = (load: LoadResult | null) =>
    saveRun(paths, manifest, load).catch((e: unknown) => {
      if (!isFlamebenchError(e) || e.kind !== 'storage') throw e;
      storage.error ??= e;
    });
  try {
    target = await startTarget(scenario, paths, {
      injections: collectInjections(usable, paths, { config: scenario.openresty.config, luaModule: installation.luaModule }),
      nginxCpus: placement.nginxCpus,
      installation,
      env: luajit.env,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const t = target;
    manifest.warnings.push(...(t.warnings ?? []));
    manifest.target = {
      binary: t.binary,
      port: t.port,
      baseUrl: t.baseUrl,
      masterPid: t.masterPid,
      workerPids: t.workerPids,
      nginxCpus: placement.nginxCpus,
      loaderCpus: placement.loaderCpus,
    };
    say(`nginx ${t.baseUrl} master ${t.masterPid} workers ${t.workerPids.join(',')} on CPU ${placement.nginxCpus.join(',')}`);
    // More connections than nginx, the loader's RLIMIT_NOFILE or the local ports allow never reach the window.
    const overCapacity = checkConnectionCapacity(scenario.load, readConnectionCapacity(readFileSync(paths.nginxConf, 'utf8'), t.workerPids.length));
    if (overCapacity) throw overCapacity;
    // A worker that dies is respawned by the master with a new pid: follow it, count the dead one's CPU.
    const workers = trackWorkers(t.masterPid, t.workerPids);
    live.workers = workers;
    sampler = startCpuSampler(
      {
        workers: () => workers.pids(),
        loader: () => (live.loaderPid ? [live.loaderPid] : []),
        probes: () => live.probes?.recorderPids() ?? [],
      },
      { intervalMs: manifest.cpu.intervalMs, phase: () => live.phase },
    );
    await checkpoint(null);

    // Worker CPU µs at the edges of the measured window, and the probes' stop once it was asked for.
    const window: { startCpu: number | null; probesStopping: Promise<ProbeStatus[]> | null } = { startCpu: null, probesStopping: null };
    live.phase = 'warmup';
    manifest.timings.warmupStartedAt = new Date().toISOString();
    const outcome = await runLoad(
      scenario.load,
      t.baseUrl,
      {
        onMeasureStart: async () => {
          if (usable.length > 0) live.probes = await startProbes(usable, t, paths);
          manifest.timings.measureStartedAt = new Date().toISOString();
          // Observers (and a later post-mortem) can see the run reached its measured window.
          await checkpoint(null);
          // The loader keeps warming up until this hook resolves: the window (and its CPU) starts now.
          live.phase = 'measure';
          workers.startWindow();
          window.startCpu = 0;
        },
        onMeasureEnding: () => {
          // Recorders stop before the load ends; their post-processing is awaited after the load.
          if (live.probes) window.probesStopping = live.probes.stop();
        },
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      {
        loaderCpus: placement.loaderCpus,
        workerPids: t.workerPids,
        quiet: opts.quiet,
        onLoaderStarted: (pid) => {
          live.loaderPid = pid;
        },
        workerCpuPct: () => {
          const last = sampler?.current().at(-1);
          return last ? last.workers.reduce((a, b) => a + b, 0) : null;
        },
      },
    );
    const endCpu = workers.windowCpuUs();
    for (const w of workers.warnings()) {
      manifest.warnings.push(w);
      say(`warning: ${w}`);
    }
    live.phase = 'after';
    manifest.timings.measureEndedAt = new Date().toISOString();
    const loadEndedAt = Date.now();
    manifest.saturation = outcome.saturation ?? null;
    if (outcome.loaders) manifest.loaders = outcome.loaders;
    // The load stage's warnings (e.g. the latency self-check) go to run.json, the report and the terminal.
    manifest.warnings.push(...outcome.warnings);
    for (const w of outcome.warnings) say(`warning: ${w}`);

    const samples = sampler.stop();
    sampler = null;
    manifest.cpu.samples = samples;
    manifest.cpu.summary = summarizeCpu(samples, {
      requests: outcome.result.requests,
      workerCpuUs: window.startCpu === null ? null : endCpu - window.startCpu,
    });
    const summary = manifest.cpu.summary;
    if (summary) {
      manifest.loaderBound = detectLoaderBound({
        loaderPct: summary.loaderPctMean,
        loaderCpuCount: Math.max(1, placement.loaderCpus.length),
        workerPct: summary.workerPctMean,
        workerCount: t.workerPids.length,
        targetPct: scenario.load.saturate.targetCpuPct,
        loaderThreads: outcome.saturation?.chosen.threads ?? scenario.load.threads,
        mode: scenario.load.mode,
      });
      if (manifest.loaderBound) say(`warning: ${manifest.loaderBound.message}\n  hint: ${manifest.loaderBound.hint}`);
    }
    await checkpoint(outcome.result);

    if (live.probes) {
      const statuses = await (window.probesStopping ?? live.probes.stop());
      live.probes = null;
      manifest.probes = [...probeChecks.filter((c) => c.status !== 'ok'), ...statuses];
    }
    await target.stop();
    sweepPerfMaps([target.masterPid, ...target.workerPids], paths.rawDir);
    target = null;

    if (outcome.aborted) {
      manifest.status = 'partial';
      manifest.timings.finishedAt = new Date().toISOString();
      manifest.timings.postProcessMs = Date.now() - loadEndedAt;
      return { load: outcome.result, failure: interrupted() };
    }
    if (storage.error) return { load: outcome.result, failure: storage.error };
    // A window cut short by the loader's death (partial), or one that completed no request (failed,
    // exit 5): load.json (written above) and the probes' data are kept, and the run fails.
    const failure = outcome.failure ?? emptyWindowError(outcome.result);
    if (failure) {
      manifest.timings.finishedAt = new Date().toISOString();
      manifest.timings.postProcessMs = Date.now() - loadEndedAt;
      // load.json is written above; the caller keeps it as it is.
      return { load: null, failure };
    }
    manifest.status = 'ok';
    manifest.error = null;
    manifest.timings.finishedAt = new Date().toISOString();
    manifest.timings.postProcessMs = Date.now() - loadEndedAt;
    await saveRun(paths, manifest, outcome.result);
    if (!opts.quiet) process.stdout.write(`${terminalSafe(`${formatLoadSummary(outcome.result)}\n${formatRunSummary(manifest)}`)}\n`);
    return { load: outcome.result, failure: null };
  } finally {
    if (sampler) manifest.cpu.samples = sampler.stop();
    live.workers?.stop();
    // Only reached with live probes when something threw before they were stopped.
    if (live.probes) await live.probes.abort().catch(() => undefined);
    if (target) {
      await target.stop().catch(() => undefined);
      // a profiling LuaJIT writes /tmp/perf-<pid>.map by itself: none may outlive the run
      sweepPerfMaps([target.masterPid, ...target.workerPids], paths.rawDir);
    }
  }
}
