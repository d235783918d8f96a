import { describe, expect, it } from 'vitest';
import { assessSteadyState } from '../../src/orchestrator/steady.js';
import type { LoadSecond } from '../../src/runs/types.js';

const series = (rows: Array<[number, number]>): LoadSecond[] => rows.map(([requests, p50Us], i) => ({ t: i + 1, requests, errors: 0, p50Us, p99Us: p50Us * 3 }));

describe('assessSteadyState', () => {
  it('a window whose seconds wobble within the bounds is steady', () => {
    const s = assessSteadyState(series([[1000, 500], [1080, 520], [950, 480], [1020, 510], [990, 530], [1060, 490]]), 6);
    expect(s.status).toBe('steady');
    expect(Math.abs(s.rpsChangePct!)).toBeLessThan(20);
  });

  it("lua-work's drift (p50 5 ms → 15 ms inside the window) is flagged with the numbers", () => {
    const rows: Array<[number, number]> = [];
    for (let i = 0; i < 10; i++) rows.push([800 - i * 20, 5000 + i * 1100]);
    const s = assessSteadyState(series(rows), 10);
    expect(s.status).toBe('drifting');
    expect(s.p50ChangePct!).toBeGreaterThan(100);
    expect(s.message).toMatch(/not a steady state: .*p50 \+\d+/);
  });

  it('a rps drop beyond 20% alone is a drift', () => {
    const s = assessSteadyState(series([[1000, 500], [1000, 500], [900, 500], [800, 500], [700, 500], [700, 500]]), 6);
    expect(s.status).toBe('drifting');
    expect(s.rpsChangePct).toBe(-30);
  });

  it('only whole seconds count: a cut last second is not a drop', () => {
    const s = assessSteadyState(series([[1000, 500], [1000, 500], [1000, 500], [1000, 500], [1000, 500], [1000, 500], [120, 500]]), 6.1);
    expect(s.seconds).toBe(6);
    expect(s.status).toBe('steady');
  });

  it('fewer than 3 whole seconds cannot be judged', () => {
    expect(assessSteadyState(series([[1, 1], [1, 1]]), 2).status).toBe('unknown');
  });
});
