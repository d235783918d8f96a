import path from 'node:path';

/** The one place that names every file of a run directory (DESIGN.md "The run directory is the contract"). */
export interface RunPaths {
  dir: string;
  manifest: string;
  loadResult: string;
  nginxDir: string;
  nginxConf: string;
  errorLog: string;
  accessLog: string;
  /** nginx -p prefix: temp dirs, pid file, copied Lua files. */
  prefix: string;
  stacksDir: string;
  /** Scratch space for probes (perf.data, raw dumps); readable by the nginx worker user. */
  rawDir: string;
  report: string;
  folded(probeId: string): string;
  probeMeta(probeId: string): string;
  flamegraph(probeId: string): string;
  /** `flamebench export` outputs: stacks/<probe>.pb.gz, stacks/profiles.speedscope.json. */
  pprof(probeId: string): string;
  speedscope: string;
}

const STACKS_DIR = 'stacks';

/** A probe's files relative to the run directory, as run.json records them (probes[].folded / .meta). */
export function probeFilesRelative(probeId: string): { folded: string; meta: string } {
  return { folded: `${STACKS_DIR}/${probeId}.folded`, meta: `${STACKS_DIR}/${probeId}.meta.json` };
}

export function runPaths(dir: string): RunPaths {
  const abs = path.resolve(dir);
  const nginxDir = path.join(abs, 'nginx');
  const stacksDir = path.join(abs, STACKS_DIR);
  return {
    dir: abs,
    manifest: path.join(abs, 'run.json'),
    loadResult: path.join(abs, 'load.json'),
    nginxDir,
    nginxConf: path.join(nginxDir, 'nginx.conf'),
    errorLog: path.join(nginxDir, 'error.log'),
    accessLog: path.join(nginxDir, 'access.log'),
    prefix: path.join(nginxDir, 'prefix'),
    stacksDir,
    rawDir: path.join(abs, 'raw'),
    report: path.join(abs, 'report.html'),
    folded: (id) => path.join(abs, probeFilesRelative(id).folded),
    probeMeta: (id) => path.join(abs, probeFilesRelative(id).meta),
    flamegraph: (id) => path.join(stacksDir, `${id}.svg`),
    pprof: (id) => path.join(stacksDir, `${id}.pb.gz`),
    speedscope: path.join(stacksDir, 'profiles.speedscope.json'),
  };
}

/** Comparison outputs live beside the variant folders: reports/<id>/compare.{html,json,md}. */
export interface ComparePaths {
  dir: string;
  json: string;
  html: string;
  markdown: string;
  junit: string;
}

export function comparePaths(dir: string): ComparePaths {
  const abs = path.resolve(dir);
  return {
    dir: abs,
    json: path.join(abs, 'compare.json'),
    html: path.join(abs, 'compare.html'),
    markdown: path.join(abs, 'compare.md'),
    junit: path.join(abs, 'compare.junit.xml'),
  };
}

/** A name as a path segment: anything but letters, digits, `.`, `_`, `-` becomes `_`. */
export const safeSegment = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/** A series of repeats and variants: reports/<id>/[<variant>/]<rep>/, with the comparisons beside them. */
export interface SeriesPaths {
  dir: string;
  /** reports/<id>/<variant>: the repeats of one variant (a side of a comparison). */
  variant(name: string): string;
  /** reports/<id>/<variant>/<rep>, or reports/<id>/<rep> for plain repeats (variant null). */
  repeat(variant: string | null, rep: number): string;
  /** Where a comparison against the baseline goes: the series itself when there is one candidate, else compare-<candidate>/. */
  comparison(candidate: string, candidates: number): string;
}

export function seriesPaths(dir: string): SeriesPaths {
  const abs = path.resolve(dir);
  const variant = (name: string) => path.join(abs, safeSegment(name));
  return {
    dir: abs,
    variant,
    repeat: (v, rep) => path.join(v === null ? abs : variant(v), String(rep)),
    comparison: (candidate, candidates) => (candidates === 1 ? abs : path.join(abs, `compare-${safeSegment(candidate)}`)),
  };
}

/** reports/<yyyymmdd-hhmmss>-<scenario>[-<variant>] */
export function runDirName(scenarioName: string, when: Date, variant?: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${when.getFullYear()}${p(when.getMonth() + 1)}${p(when.getDate())}-${p(when.getHours())}${p(when.getMinutes())}${p(when.getSeconds())}`;
  return [stamp, safeSegment(scenarioName), ...(variant ? [safeSegment(variant)] : [])].join('-');
}
