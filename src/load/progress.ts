import type { ProgressTick } from './measured-run.js';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');

/** One progress line on stderr, rewritten each second; silent when quiet or stderr is not a TTY. */
export class ProgressLine {
  private shown = false;

  constructor(
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  static forTerminal(quiet: boolean): ProgressLine {
    return new ProgressLine(!quiet && process.stderr.isTTY === true);
  }

  show(label: string, t: ProgressTick, totalSec: number): void {
    if (!this.enabled) return;
    const phase = t.phase === 'warmup' ? 'warm-up' : label;
    const of = t.phase === 'measure' ? `${t.second}/${Math.ceil(totalSec)}s` : `${t.second}s`;
    const line = `${phase.padEnd(8)} ${of.padStart(7)}  ${int(t.rps).padStart(9)} rps  p99 ${int(t.p99Us).padStart(8)} µs  errors ${int(t.errors)}`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }

  note(text: string): void {
    if (!this.enabled) return;
    this.clear();
    this.stream.write(`${text}\n`);
  }

  clear(): void {
    if (this.enabled && this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
