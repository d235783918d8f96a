import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../src/load/progress.js';

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  return { stream, text: () => out };
}

const tick = (phase: 'warmup' | 'measure', second: number) => ({ phase, second, rps: 12345, p99Us: 870, errors: 0 });

describe('ProgressLine without a terminal', () => {
  it('prints whole lines on each phase change and every 5 s, with rps, p99 and worker CPU', () => {
    const s = sink();
    const p = new ProgressLine('lines', s.stream, () => 93.4);
    p.show('fixed', tick('warmup', 1), 12);
    p.show('fixed', tick('warmup', 2), 12);
    for (let sec = 1; sec <= 12; sec++) p.show('fixed', tick('measure', sec), 12);
    p.clear();
    const lines = s.text().trimEnd().split('\n');
    expect(lines).toEqual([
      'progress: warm-up  1s  12,345 rps  p99  870 µs  worker CPU  93%  errors 0',
      'progress: fixed  1/12s  12,345 rps  p99  870 µs  worker CPU  93%  errors 0',
      'progress: fixed  6/12s  12,345 rps  p99  870 µs  worker CPU  93%  errors 0',
      'progress: fixed  11/12s  12,345 rps  p99  870 µs  worker CPU  93%  errors 0',
    ]);
    expect(s.text()).not.toContain('\r');
  });

  it('says nothing when quiet, and rewrites one line on a terminal', () => {
    const off = sink();
    new ProgressLine('off', off.stream).show('fixed', tick('measure', 1), 5);
    expect(off.text()).toBe('');
    const tty = sink();
    const p = new ProgressLine('tty', tty.stream, () => null);
    p.show('fixed', tick('measure', 1), 5);
    p.show('fixed', tick('measure', 2), 5);
    expect(tty.text().split('\r\x1b[2K')).toHaveLength(3);
    expect(tty.text()).not.toContain('worker CPU');
  });
});
