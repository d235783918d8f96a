import type { LoadResult, LoaderBoundWarning, RunManifest } from '../../runs/types.js';
import { formatBytes, formatCount, formatDate, formatDurationMs, formatPct, formatRps, formatShare, formatUs } from '../../util/format.js';
import type { Alert, Fact, SaturationView, StatusView, Tone } from './types.js';

/** The load summary: load.json when present (it has everything), else the copy in run.json. */
export type LoadSummary = Omit<LoadResult, 'histogram' | 'series' | 'spectrum'>;

export function statusView(m: RunManifest): StatusView {
  const value = m.status;
  const label =
    value === 'ok' ? 'completed' : value === 'partial' ? 'This run is PARTIAL: it stopped early' : 'This run FAILED';
  const tone: Tone = value === 'ok' ? 'ok' : value === 'partial' ? 'warn' : 'bad';
  return { value, label, tone, banner: value !== 'ok', error: m.error };
}

function durationMs(m: RunManifest, load: LoadSummary | null): number | null {
  if (load) return load.durationMs;
  const { measureStartedAt: a, measureEndedAt: b } = m.timings;
  return a && b ? Date.parse(b) - Date.parse(a) : null;
}

/** Latency of a load with no completed request is not 0 µs: it is unknown. */
function measured(load: LoadSummary | null): LoadSummary | null {
  return load && load.requests > 0 ? load : null;
}

export function headlineFacts(m: RunManifest, load: LoadSummary | null): Fact[] {
  const cpu = m.cpu.summary ?? null;
  const lat = measured(load)?.latencyUs;
  const errTone: Tone = load && load.errors > 0 ? 'bad' : 'ok';
  return [
    { label: 'Throughput', value: formatRps(load?.rps) },
    { label: 'Latency p50', value: formatUs(lat?.p50) },
    { label: 'Latency p99', value: formatUs(lat?.p99) },
    { label: 'Errors', value: load ? formatCount(load.errors) : '—', note: load ? formatShare(load.errors, load.requests + load.connectionErrors + load.timeouts) : undefined, tone: load ? errTone : 'muted' },
    { label: 'Worker CPU (mean)', value: formatPct(cpu?.workerPctMean), note: 'of one core, per worker' },
    { label: 'Worker CPU per request', value: formatUs(cpu?.workerCpuUsPerRequest ?? null) },
  ];
}

export function summaryFacts(m: RunManifest, load: LoadSummary | null): Fact[] {
  const s = load?.settings;
  const facts: Fact[] = [
    { label: 'Scenario', value: m.scenario.name },
    { label: 'Variant', value: m.variant ?? '—' },
    { label: 'Started', value: formatDate(m.timings.startedAt) },
    { label: 'Measured window', value: formatDurationMs(durationMs(m, load)), note: s ? `after ${s.warmup} s warm-up` : undefined },
    { label: 'Status', value: m.status, tone: statusView(m).tone },
    { label: 'Requests', value: formatCount(load?.requests) },
    { label: 'Transferred', value: load ? `${formatBytes(load.bytes)} (${formatBytes(load.throughputBytesPerSec)}/s)` : '—' },
  ];
  if (s) {
    facts.push({
      label: 'Load',
      value: `${s.mode}, ${s.connections} connections × pipelining ${s.pipelining}, ${s.threads === 0 ? 'in-process loader' : `${s.threads} loader threads`}${s.rate ? `, rate ${formatCount(s.rate)} req/s` : ''}`,
    });
  }
  if (load) facts.push({ label: 'URL', value: load.url });
  if (m.repeat !== null && m.repeat !== undefined) facts.push({ label: 'Repeat', value: String(m.repeat) });
  if (m.luajitNoise) {
    const n = m.luajitNoise;
    facts.push({ label: 'LuaJIT noise', value: n.method === 'flush' ? `jit.flush() every ${n.intervalMs} ms of worker CPU` : 'none', note: n.reason });
  }
  if (load?.correctedForCoordinatedOmission) facts.push({ label: 'Latency basis', value: 'from intended send time (coordinated omission corrected)' });
  const st = m.steadyState;
  if (st) {
    const change = st.rpsChangePct === null ? undefined : `last vs first third: rps ${st.rpsChangePct >= 0 ? '+' : ''}${st.rpsChangePct}%, p50 ${(st.p50ChangePct ?? 0) >= 0 ? '+' : ''}${st.p50ChangePct}% (bounds ±${st.bounds.rpsPct}%, ±${st.bounds.p50Pct}%)`;
    facts.push({ label: 'Steady state', value: st.status === 'drifting' ? 'no — the window drifted' : st.status === 'steady' ? 'yes' : 'not judged (window too short)', tone: st.status === 'drifting' ? 'warn' : st.status === 'steady' ? 'ok' : 'muted', ...(change ? { note: change } : {}) });
  }
  if (m.label?.label || m.label?.gitDescribe) facts.push({ label: 'Label', value: [m.label.label, m.label.gitDescribe && `git ${m.label.gitDescribe}`].filter(Boolean).join(' · ') });
  return facts;
}

export function latencyFacts(load: LoadSummary | null): Fact[] {
  if (!load) return [];
  if (!measured(load)) return [{ label: 'latency', value: 'no request completed in the measured window', tone: 'muted' }];
  const l = load.latencyUs;
  return [
    { label: 'p50', value: formatUs(l.p50) },
    { label: 'p90', value: formatUs(l.p90) },
    { label: 'p99', value: formatUs(l.p99) },
    { label: 'p99.9', value: formatUs(l.p999) },
    { label: 'max', value: formatUs(l.max) },
    { label: 'min', value: formatUs(l.min) },
    { label: 'mean', value: formatUs(l.mean) },
    { label: 'stdev', value: formatUs(l.stdev) },
  ];
}

export function errorFacts(load: LoadSummary | null): Fact[] {
  if (!load) return [];
  const tone = (n: number): Tone => (n > 0 ? 'bad' : 'ok');
  return [
    { label: 'Errors (total)', value: formatCount(load.errors), tone: tone(load.errors) },
    { label: 'Connection errors', value: formatCount(load.connectionErrors), tone: tone(load.connectionErrors) },
    { label: 'Timeouts', value: formatCount(load.timeouts), tone: tone(load.timeouts) },
    // Absent in runs written before it was counted.
    { label: 'Closed without response', value: formatCount(load.closedWithoutResponse ?? 0), tone: tone(load.closedWithoutResponse ?? 0) },
    { label: 'Non-2xx responses', value: formatCount(load.non2xx), tone: tone(load.non2xx) },
  ];
}

export function statusCodeRows(load: LoadSummary | null): Array<{ code: string; count: string; share: string; tone: Tone }> {
  if (!load) return [];
  const entries = Object.entries(load.statusCodes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = entries.reduce((t, [, n]) => t + n, 0);
  return entries.map(([code, n]) => ({ code, count: formatCount(n), share: formatShare(n, total), tone: /^2\d\d$/.test(code) ? 'ok' : 'bad' }));
}

export function cpuFacts(m: RunManifest): Fact[] {
  const c = m.cpu.summary;
  if (!c) return [];
  const pids = m.target?.workerPids ?? [];
  const facts: Fact[] = [
    { label: 'Worker CPU, mean per worker', value: formatPct(c.workerPctMean), note: '100% = one core busy' },
    ...c.workerPctPerWorker.map((p, i) => ({ label: `worker ${i}${pids[i] !== undefined ? ` (pid ${pids[i]})` : ''}`, value: formatPct(p) })),
    { label: 'Worker CPU time in window', value: formatUs(c.workerCpuUs), note: 'user + system, all workers' },
    { label: 'Worker CPU per request', value: formatUs(c.workerCpuUsPerRequest) },
    { label: 'Loader CPU (mean)', value: formatPct(c.loaderPctMean) },
    { label: 'Probes’ own CPU (mean)', value: formatPct(c.probesPctMean), note: 'perf / bpftrace recorders' },
  ];
  if (m.target) {
    const cpus = (xs: number[]) => (xs.length ? xs.join(', ') : 'not pinned');
    facts.push({ label: 'nginx CPUs', value: cpus(m.target.nginxCpus) }, { label: 'Loader CPUs', value: cpus(m.target.loaderCpus) });
  }
  return facts;
}

/** Fraction of its CPU limit at which the loader counts as saturated. */
const LOADER_SATURATED = 0.9;

/**
 * run.json's own verdict when it has one; otherwise the same rule recomputed from the CPU summary:
 * the loader used ≥ 90% of what it can use while the workers stayed below the target.
 */
export function loaderBound(m: RunManifest, load: LoadSummary | null): LoaderBoundWarning | null {
  if (m.loaderBound) return m.loaderBound;
  const c = m.cpu.summary;
  if (!c) return null;
  const threads = Math.max(1, load?.settings.threads ?? m.scenario.load?.threads ?? 0);
  const pinned = m.target?.loaderCpus.length ?? 0;
  const loaderLimitPct = 100 * (pinned > 0 ? Math.min(threads, pinned) : threads);
  const target = m.scenario.load?.saturate?.targetCpuPct ?? 90;
  if (c.loaderPctMean >= LOADER_SATURATED * loaderLimitPct && c.workerPctMean < target) {
    return {
      loaderPct: c.loaderPctMean,
      loaderLimitPct,
      workerPct: c.workerPctMean,
      message: `The loader used ${formatPct(c.loaderPctMean)} of its ${formatPct(loaderLimitPct, 0)} CPU limit while nginx workers averaged ${formatPct(c.workerPctMean)} (target ${formatPct(target, 0)}): the loader, not nginx, was the bottleneck.`,
      hint: 'Raise pipelining or loader threads (load.pipelining, load.threads), give the loader its own cores, or use load.mode: saturate.',
    };
  }
  return null;
}

export function alerts(m: RunManifest, load: LoadSummary | null, readProblems: string[]): Alert[] {
  const out: Alert[] = [];
  const lb = loaderBound(m, load);
  if (lb) {
    out.push({
      level: 'warning',
      title: 'The loader was the bottleneck, not nginx',
      message: lb.message,
      hint: lb.hint,
      details: [`loader ${formatPct(lb.loaderPct)} of ${formatPct(lb.loaderLimitPct, 0)} limit`, `workers ${formatPct(lb.workerPct)} mean`],
    });
  }
  if (load && load.errors > 0) {
    out.push({
      level: 'warning',
      title: 'Requests failed',
      message: `${formatCount(load.errors)} of ${formatCount(load.requests)} requests failed (${formatCount(load.connectionErrors)} connection errors, ${formatCount(load.closedWithoutResponse ?? 0)} connections closed without a response, ${formatCount(load.timeouts)} timeouts, ${formatCount(load.non2xx)} non-2xx). Throughput and latency include them.`,
    });
  }
  for (const w of m.warnings) out.push({ level: 'warning', title: 'Run warning', message: w });
  for (const p of readProblems) out.push({ level: 'warning', title: 'Run directory problem', message: p });
  const broken = m.probes.filter((p) => p.status === 'failed' || p.status === 'unavailable');
  if (broken.length > 0) {
    out.push({
      level: 'info',
      title: `${broken.length} probe${broken.length > 1 ? 's' : ''} produced no stacks`,
      message: broken.map((p) => `${p.id} (${p.status}${p.error ? `: ${p.error.message}` : ''})`).join('; '),
      hint: 'See the probe sections below for each error and its hint.',
    });
  }
  return out;
}

export function saturationView(m: RunManifest): SaturationView | null {
  const s = m.saturation;
  if (!s) return null;
  const same = (a: { connections: number; pipelining: number; threads: number }) =>
    a.connections === s.chosen.connections && a.pipelining === s.chosen.pipelining && a.threads === s.chosen.threads;
  return {
    target: formatPct(s.targetCpuPct, 0),
    reason: s.reason,
    chosen: `${s.chosen.connections} connections × pipelining ${s.chosen.pipelining}, ${s.chosen.threads} loader threads`,
    rows: s.steps.map((st) => ({
      chosen: same(st),
      connections: String(st.connections),
      pipelining: String(st.pipelining),
      threads: String(st.threads),
      rps: formatRps(st.rps),
      workerCpu: formatPct(st.workerCpuPct),
      loaderCpu: formatPct(st.loaderCpuPct),
      p99: formatUs(st.p99Us),
      errors: formatCount(st.errors),
    })),
  };
}
