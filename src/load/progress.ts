import type { ProgressTick } from './measured-run.js';

import { groupThousands } from '../util/format.js';

const int = (x: number): string => groupThousands(x, 0);

/**
 * How progress is shown: `tty` rewrites one line each second; `lines` (stderr is not a terminal:
 * CI logs, `| cat`) prints a whole line every `LINE_EVERY_SEC` seconds and on each phase change,
 * so a job log shows the load is alive without a line per second; `off` when quiet.
 */
export type ProgressMode = 'tty' | 'lines' | 'off';

export const LINE_EVERY_SEC = 5;

/** Progress of the load on stderr. `workerCpuPct` reads the nginx workers' CPU % of the last second (100 = one core), when known. */
export class ProgressLine {
  private shown = false;
  private lastPhase: string | null = null;
  private lastLineAt = -Infinity;

  constructor(
    private readonly mode: ProgressMode,
    private readonly stream: NodeJS.WritableStream = process.stderr,
    private readonly workerCpuPct: () => number | null = () => null,
  ) {}

  static forTerminal(quiet: boolean, workerCpuPct?: () => number | null): ProgressLine {
    const mode: ProgressMode = quiet ? 'off' : process.stderr.isTTY === true ? 'tty' : 'lines';
    return new ProgressLine(mode, process.stderr, workerCpuPct);
  }

  show(label: string, t: ProgressTick, totalSec: number): void {
    if (this.mode === 'off') return;
    const phase = t.phase === 'warmup' ? 'warm-up' : label;
    const of = t.phase === 'measure' ? `${t.second}/${Math.ceil(totalSec)}s` : `${t.second}s`;
    const cpu = this.workerCpuPct();
    const cpuText = cpu === null ? '' : `  worker CPU ${cpu.toFixed(0).padStart(3)}%`;
    const line = `${phase.padEnd(8)} ${of.padStart(7)}  ${int(t.rps).padStart(9)} rps  p99 ${int(t.p99Us).padStart(8)} µs${cpuText}  errors ${int(t.errors)}`;
    if (this.mode === 'tty') {
      this.stream.write(`\r\x1b[2K${line}`);
      this.shown = true;
      return;
    }
    const key = `${label}/${t.phase}`;
    if (key !== this.lastPhase || t.second - this.lastLineAt >= LINE_EVERY_SEC) {
      this.stream.write(`progress: ${line.replace(/ {2,}/g, '  ').trim()}\n`);
      this.lastPhase = key;
      this.lastLineAt = t.second;
    }
  }

  note(text: string): void {
    if (this.mode === 'off') return;
    this.clear();
    this.stream.write(`${text}\n`);
  }

  clear(): void {
    if (this.mode === 'tty' && this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
