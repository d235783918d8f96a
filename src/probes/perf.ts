import { spawn } from 'node:child_process';
import path from 'node:path';
import { rmSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { runFailed } from '../errors.js';
import type { RunPaths } from '../runs/paths.js';
import type { RunningNginx } from '../nginx/types.js';
import { lastLines, recorderProbe, spawnRecorder, type Recorder } from './recorder-process.js';
import type { ProbeResult, RunningProbe } from './types.js';
import type { CpuProbeSpec } from '../scenario/types.js';
import type { Folded } from '../stacks/folded.js';
import { writeProbeOutput, type ProbeOutput } from './output.js';
import { which } from './env.js';
import { lineSplitter, pumpText } from '../stacks/lines.js';

/** A hard bound on any perf recording, whatever the caller does (the orchestrator stops it far earlier). */
export const MAX_RECORD_SECONDS = 900;
/** Per-thread ring buffer, pages: dwarf samples are 8–16 KB each and a small buffer loses them. */
export const MMAP_PAGES = 512;

export interface PerfRecordOptions {
  label: string;
  dataFile: string;
  /** Event and call-graph arguments. */
  args: string[];
  pids: number[];
  maxMegabytes: number;
}

export function perfBinary(): string {
  return which('perf') ?? 'perf';
}

/** `perf record … -p pids -o file`, bounded in size (--max-size) and time. */
export function startPerfRecord(o: PerfRecordOptions): Promise<Recorder> {
  if (o.pids.length === 0) throw runFailed('E_PROBE_NO_PIDS', `${o.label}: no worker pids to record`, 'nginx has no workers');
  // a stale file from an earlier recording would pass for "perf has started"
  rmSync(o.dataFile, { force: true });
  const args = [
    'record',
    ...o.args,
    '-p',
    o.pids.join(','),
    '-o',
    o.dataFile,
    '--mmap-pages',
    String(MMAP_PAGES),
    '--max-size',
    `${Math.max(1, Math.floor(o.maxMegabytes))}M`,
  ];
  return spawnRecorder(perfBinary(), args, { label: o.label, readyFile: o.dataFile, maxSeconds: MAX_RECORD_SECONDS });
}

/** Stops perf record; an exit it made by itself with an error (target gone, bad event) is a failure. */
export async function stopPerfRecord(rec: Recorder, label: string): Promise<void> {
  const early = rec.exited();
  const r = await rec.stop();
  if (early && r.code !== 0) {
    throw runFailed('E_PROBE_RECORD', `${label} stopped by itself (${r.signal ?? `code ${r.code}`}): ${lastLines(rec.stderr())}`, 'see the message above');
  }
}

/** What a perf probe's post-processing gets once perf record has stopped. */
export interface PerfRecording {
  dataFile: string;
  pids: number[];
  notes: { truncated: boolean; warnings: string[] };
}

/** A probe that records the workers with perf record into raw/<id>.perf.data; `finish` turns the data into stacks. */
export async function startPerfProbe(
  id: string,
  nginx: RunningNginx,
  paths: RunPaths,
  record: { args: string[]; maxMegabytes: number },
  finish: (r: PerfRecording) => Promise<ProbeResult>,
): Promise<RunningProbe> {
  const dataFile = path.join(paths.rawDir, `${id}.perf.data`);
  const pids = [...nginx.workerPids];
  const label = `probe ${id} (perf record)`;
  const rec = await startPerfRecord({ label, dataFile, args: record.args, pids, maxMegabytes: record.maxMegabytes });
  return recorderProbe(rec, async () => {
    await stopPerfRecord(rec, label);
    return finish({ dataFile, pids, notes: recordNotes(rec.stderr(), dataFile, record.maxMegabytes, rec.boundHit()) });
  });
}

/**
 * Writes a perf probe's stacks with what every perf recording reports alike (pids, the size-bound
 * notes, the raw data file, the call-graph mode); `o` adds what is particular to the probe.
 */
export function writePerfProbeOutput(
  paths: RunPaths,
  stacks: Folded,
  rec: PerfRecording,
  o: Pick<ProbeOutput, 'id' | 'kind' | 'unit' | 'frequencyHz' | 'sampleCount' | 'report' | 'warnings'> & { callGraph: CpuProbeSpec['callGraph']; extra: Record<string, unknown> },
): Promise<ProbeResult> {
  return writeProbeOutput(paths, stacks, {
    ...o,
    pids: rec.pids,
    truncated: rec.notes.truncated,
    warnings: [...rec.notes.warnings, ...o.warnings],
    extra: { backend: 'perf', callGraph: o.callGraph, ...o.extra, rawData: path.relative(paths.dir, rec.dataFile) },
  });
}

/** What perf record said about the recording: cut at the size bound, lost chunks. */
export function recordNotes(stderr: string, dataFile: string, maxMegabytes: number, timeBoundHit = false): { truncated: boolean; warnings: string[] } {
  const warnings: string[] = [];
  let truncated = false;
  if (timeBoundHit) {
    truncated = true;
    warnings.push(`recording stopped by the ${MAX_RECORD_SECONDS} s time bound before the measured window ended`);
  }
  if (/size limit reached/i.test(stderr)) {
    truncated = true;
    warnings.push(`recording stopped early: perf.data reached the ${maxMegabytes} MB bound (maxMegabytes); the stacks cover only the start of the window`);
  }
  let size = 0;
  try {
    size = statSync(dataFile).size;
  } catch {
    /* reported by perf script */
  }
  if (!truncated && size >= maxMegabytes * 1024 * 1024 * 0.98) {
    truncated = true;
    warnings.push(`perf.data is at the ${maxMegabytes} MB bound: the recording was probably cut`);
  }
  const lost = /lost (\d+) chunks/i.exec(stderr) ?? /(\d+) (?:samples|events) lost/i.exec(stderr);
  if (lost) warnings.push(`perf lost events (${lost[0]}): the ring buffer overflowed; stacks under-count busy moments`);
  return { truncated, warnings };
}


export interface PerfScript {
  stdout: Readable;
  /** Resolves with stderr when perf script exits; rejects on a non-zero exit. */
  done: Promise<string>;
}

/** `perf script -i file …`, streamed: its output can be hundreds of MB. */
export function perfScript(dataFile: string, extraArgs: string[], label: string): PerfScript {
  const child = spawn(perfBinary(), ['script', '-i', dataFile, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (err.length < 64 * 1024) err += d;
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', (e) => reject(runFailed('E_PROBE_POSTPROCESS', `${label}: perf script: ${e.message}`, 'is perf installed?')));
    child.on('close', (code) => {
      if (code === 0) resolve(err);
      else reject(runFailed('E_PROBE_POSTPROCESS', `${label}: perf script exited with ${code}: ${lastLines(err)}`, 'inspect raw/ and run perf script by hand'));
    });
  });
  return { stdout: child.stdout, done };
}

/** Each line of a stream (without "\n" or a trailing "\r"), through the one line splitter. */
export async function forEachLine(input: Readable, fn: (line: string) => void): Promise<void> {
  const lines = lineSplitter((l) => fn(l.endsWith('\r') ? l.slice(0, -1) : l));
  await pumpText(input, (t) => lines.write(t));
  lines.end();
}

/** Share (%) of the weight whose stack has a frame satisfying `test`. */
export function shareMatching(stacks: Map<string, number>, test: (frame: string) => boolean): number {
  let hit = 0;
  let total = 0;
  for (const [k, v] of stacks) {
    total += v;
    if (k.split(';').some(test)) hit += v;
  }
  return total === 0 ? 0 : Math.round((hit / total) * 1000) / 10;
}

/** Share of the weight whose stack reaches `main` (dwarf unwinding stops early at JIT code or missing CFI). */
export function reachShare(stacks: Map<string, number>, frame: string): number {
  return shareMatching(stacks, (f) => f === frame);
}
