import { readFileSync } from 'node:fs';
import type { FlamebenchError } from '../errors.js';
import { interrupted } from './interrupt.js';
import type { RunOptions } from './index.js';
import { formatRunSummary } from './summary.js';
import { checkConnectionCapacity, detectLoaderBound, emptyWindowError, formatLoadSummary, readConnectionCapacity, runLoad, type LoadRunOutcome } from '../load/index.js';
import { checkProbes, collectInjections, startProbes, sweepPerfMaps, type StartedProbes } from '../probes/index.js';
import { selectLuajit, type LuajitSelection } from '../luajit/select.js';
import { cpuConflicts, liveRunFor } from '../runs/live-runs.js';
import type { CpuSample, LoadResult, ProbeStatus, RunEnvironment, RunTarget } from '../runs/types.js';
import type { ProbeSpec, Scenario } from '../scenario/types.js';
import {
  describeEnvironment,
  findNginx,
  planPlacement,
  readUsableCpus,
  trackWorkers,
  type WorkerTracker,
  startCpuSampler,
  startNginx,
  summarizeCpu,
  type NginxInstallation,
  type Placement,
} from '../nginx/index.js';
import type { RunningNginx } from '../nginx/types.js';
import { terminalSafe } from '../util/terminal.js';
import type { RunRecord, WindowFacts } from './run-record.js';

/**
 * How the measured part of a run ended: the load result worth keeping (null when already on disk or
 * never measured) and why the run is not ok. Failures after the run directory exists travel here as
 * data; what throws is a failure before anything was measured, or a bug.
 */
export interface ExecuteResult {
  load: LoadResult | null;
  failure: FlamebenchError | null;
}

/** The nginx that will run, with which LuaJIT: known first, so that a run failing later still names it. */
interface Installation {
  installation: NginxInstallation;
  luajit: LuajitSelection;
  environment: RunEnvironment;
}

async function findInstallation(scenario: Scenario): Promise<Installation> {
  const installation = await findNginx(scenario.openresty.binary);
  const luajit = await selectLuajit(scenario.openresty.luajit, installation);
  return { installation, luajit, environment: { ...(await describeEnvironment(installation)), luajit: luajit.record } };
}

/** Where things run and which probes can run, before nginx starts. */
interface Prepared extends Installation {
  placement: Placement;
  /** CPUs this run shares with another flamebench running now. */
  cpuConflicts: string[];
  probeChecks: ProbeStatus[];
  usableProbes: ProbeSpec[];
}

async function prepare(scenario: Scenario, dir: string, found: Installation): Promise<Prepared> {
  const placement = planPlacement(scenario.openresty.cpus, scenario.load.cpus, scenario.openresty.workers, readUsableCpus());
  const liveRun = liveRunFor(dir);
  liveRun?.setCpus(placement.nginxCpus, placement.loaderCpus);
  const conflicts = cpuConflicts(placement.nginxCpus, placement.loaderCpus, liveRun?.file);
  const probeChecks = await checkProbes(scenario.probes, { isRoot: process.getuid?.() === 0, nginx: found.installation });
  const usableProbes = scenario.probes.filter((p) => probeChecks.find((c) => c.id === p.id)?.status === 'ok');
  return { ...found, placement, cpuConflicts: conflicts, probeChecks, usableProbes };
}

/** Available probes start with the measured window; until then (and if the run never gets there) they are 'skipped'. */
function probesBeforeWindow(checks: ProbeStatus[]): ProbeStatus[] {
  return checks.map((c) => (c.status === 'ok' ? { ...c, status: 'skipped', warnings: [...c.warnings, 'not started: the run ended before its measured window'] } : c));
}

function runTarget(t: RunningNginx, placement: Placement): RunTarget {
  return {
    binary: t.binary,
    port: t.port,
    baseUrl: t.baseUrl,
    masterPid: t.masterPid,
    workerPids: t.workerPids,
    nginxCpus: placement.nginxCpus,
    loaderCpus: placement.loaderCpus,
  };
}

/** What the processes of a running measurement are, for the CPU sampler and the clean-up. */
interface Live {
  probes: StartedProbes | null;
  loaderPid: number | null;
  phase: CpuSample['phase'];
  workers: WorkerTracker | null;
  sampler: ReturnType<typeof startCpuSampler> | null;
}

/** The load with the probes inside its measured window; the record learns the window's moments as they come. */
async function measure(
  scenario: Scenario,
  prepared: Prepared,
  t: RunningNginx,
  workers: WorkerTracker,
  live: Live,
  record: RunRecord,
  opts: RunOptions,
): Promise<{ outcome: LoadRunOutcome; windowCpuUs: number | null; probesStopping: Promise<ProbeStatus[]> | null }> {
  // Worker CPU at the window's start (the tracker counts from there) and the probes' stop once it was asked for.
  const window: { started: boolean; probesStopping: Promise<ProbeStatus[]> | null } = { started: false, probesStopping: null };
  live.phase = 'warmup';
  record.reached('warmupStartedAt');
  const outcome = await runLoad(
    scenario.load,
    t.baseUrl,
    {
      onMeasureStart: async () => {
        if (prepared.usableProbes.length > 0) live.probes = await startProbes(prepared.usableProbes, t, record.paths);
        record.reached('measureStartedAt');
        // Observers (and a later post-mortem) can see the run reached its measured window.
        await record.checkpoint();
        // The loader keeps warming up until this hook resolves: the window (and its CPU) starts now.
        live.phase = 'measure';
        workers.startWindow();
        window.started = true;
      },
      onMeasureEnding: () => {
        // Recorders stop before the load ends; their post-processing is awaited after the load.
        if (live.probes) window.probesStopping = live.probes.stop();
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    {
      loaderCpus: prepared.placement.loaderCpus,
      workers,
      quiet: opts.quiet,
      onLoaderStarted: (pid) => {
        live.loaderPid = pid;
      },
      workerCpuPct: () => {
        const last = live.sampler?.current().at(-1);
        return last ? last.workers.reduce((a, b) => a + b, 0) : null;
      },
    },
  );
  const windowCpuUs = window.started ? workers.windowCpuUs() : null;
  live.phase = 'after';
  record.reached('measureEndedAt');
  return { outcome, windowCpuUs, probesStopping: window.probesStopping };
}

/** The window's CPU picture: samples, their summary per request, and whether the loader was the limit. */
function windowFacts(scenario: Scenario, prepared: Prepared, t: RunningNginx, outcome: LoadRunOutcome, samples: CpuSample[], windowCpuUs: number | null): WindowFacts {
  const cpuSummary = summarizeCpu(samples, { requests: outcome.result.requests, workerCpuUs: windowCpuUs });
  const loaderBound = cpuSummary
    ? detectLoaderBound({
        loaderPct: cpuSummary.loaderPctMean,
        loaderCpuCount: Math.max(1, prepared.placement.loaderCpus.length),
        workerPct: cpuSummary.workerPctMean,
        workerCount: t.workerPids.length,
        targetPct: scenario.load.saturate.targetCpuPct,
        loaderThreads: outcome.saturation?.chosen.threads ?? scenario.load.threads,
        mode: scenario.load.mode,
      })
    : null;
  return { saturation: outcome.saturation ?? null, loaders: outcome.loaders ?? null, cpuSamples: samples, cpuSummary, loaderBound };
}

/**
 * The run's sequence, phase by phase: prepare, start nginx, measure, post-process, stop. Each phase
 * returns what it found; `record` (the one place that changes run.json) takes it in and persists
 * what was reached, so that the caller can finish run.json whatever throws.
 */
export async function executeRun(scenario: Scenario, record: RunRecord, opts: RunOptions): Promise<ExecuteResult> {
  const paths = record.paths;
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${terminalSafe(line)}\n`);
  };
  const warn = (lines: readonly string[]) => {
    record.warn(lines);
    for (const w of lines) say(`warning: ${w}`);
  };

  const found = await findInstallation(scenario);
  record.environmentKnown(found.environment);
  const prepared = await prepare(scenario, paths.dir, found);
  record.prepared({ probes: probesBeforeWindow(prepared.probeChecks), warnings: prepared.placement.warnings });
  warn(prepared.cpuConflicts);
  for (const c of prepared.probeChecks) if (c.status === 'unavailable') say(`probe ${c.id}: unavailable — ${c.error?.message ?? ''}`);

  let nginx: RunningNginx | null = null;
  // Set from the load's hooks: held in an object, since TypeScript does not track assignments in callbacks.
  const live: Live = { workers: null, probes: null, loaderPid: null, phase: 'idle', sampler: null };
  try {
    nginx = await startNginx(scenario, paths, {
      injections: collectInjections(prepared.usableProbes, paths, { config: scenario.openresty.config, luaModule: prepared.installation.luaModule }),
      nginxCpus: prepared.placement.nginxCpus,
      installation: prepared.installation,
      env: prepared.luajit.env,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const t = nginx;
    record.nginxStarted(runTarget(t, prepared.placement), t.warnings ?? []);
    say(`nginx ${t.baseUrl} master ${t.masterPid} workers ${t.workerPids.join(',')} on CPU ${prepared.placement.nginxCpus.join(',')}`);
    // More connections than nginx, the loader's RLIMIT_NOFILE or the local ports allow never reach the window.
    const overCapacity = checkConnectionCapacity(scenario.load, readConnectionCapacity(readFileSync(paths.nginxConf, 'utf8'), t.workerPids.length));
    if (overCapacity) throw overCapacity;
    // A worker that dies is respawned by the master with a new pid: follow it, count the dead one's CPU.
    const workers = trackWorkers(t.masterPid, t.workerPids);
    live.workers = workers;
    live.sampler = startCpuSampler(
      {
        workers: () => workers.pids(),
        loader: () => (live.loaderPid ? [live.loaderPid] : []),
        probes: () => live.probes?.recorderPids() ?? [],
      },
      { intervalMs: record.manifest.cpu.intervalMs, phase: () => live.phase },
    );
    await record.checkpoint();

    const { outcome, windowCpuUs, probesStopping } = await measure(scenario, prepared, t, workers, live, record, opts);
    const loadEndedAt = Date.now();
    warn(workers.warnings());
    // The load stage's warnings (e.g. the latency self-check) go to run.json, the report and the terminal.
    warn(outcome.warnings);
    const samples = live.sampler.stop();
    live.sampler = null;
    const facts = windowFacts(scenario, prepared, t, outcome, samples, windowCpuUs);
    record.windowMeasured(facts);
    if (facts.loaderBound) say(`warning: ${facts.loaderBound.message}\n  hint: ${facts.loaderBound.hint}`);
    await record.checkpoint(outcome.result);

    if (live.probes) {
      const statuses = await (probesStopping ?? live.probes.stop());
      live.probes = null;
      record.probesFinished([...prepared.probeChecks.filter((c) => c.status !== 'ok'), ...statuses]);
    }
    await nginx.stop();
    sweepPerfMaps([nginx.masterPid, ...nginx.workerPids], paths.rawDir);
    nginx = null;

    if (outcome.aborted) {
      record.finished('partial', record.manifest.error, loadEndedAt);
      return { load: outcome.result, failure: interrupted() };
    }
    const lost = record.storageFailure();
    if (lost) return { load: outcome.result, failure: lost };
    // A window cut short by the loader's death (partial), or one that completed no request (failed,
    // exit 5): load.json (written above) and the probes' data are kept, and the run fails.
    const failure = outcome.failure ?? emptyWindowError(outcome.result);
    if (failure) {
      record.finished(record.manifest.status, record.manifest.error, loadEndedAt);
      // load.json is written above; the caller keeps it as it is.
      return { load: null, failure };
    }
    record.finished('ok', null, loadEndedAt);
    await record.save(outcome.result);
    if (!opts.quiet) process.stdout.write(`${terminalSafe(`${formatLoadSummary(outcome.result)}\n${formatRunSummary(record.manifest)}`)}\n`);
    return { load: outcome.result, failure: null };
  } finally {
    if (live.sampler) record.cpuSamplesSoFar(live.sampler.stop());
    live.workers?.stop();
    // Only reached with live probes when something threw before they were stopped.
    if (live.probes) await live.probes.abort().catch(() => undefined);
    if (nginx) {
      await nginx.stop().catch(() => undefined);
      // a profiling LuaJIT writes /tmp/perf-<pid>.map by itself: none may outlive the run
      sweepPerfMaps([nginx.masterPid, ...nginx.workerPids], paths.rawDir);
    }
  }
}
