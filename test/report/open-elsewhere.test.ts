import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../src/report/index.js';
import type { RunManifest } from '../../src/runs/types.js';
import { repoRoot } from '../helpers/cli.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fb-report-open-'));
  await cp(path.join(repoRoot, 'test/fixtures/run-sample'), path.join(tmp, 'run'), { recursive: true });
  const file = path.join(tmp, 'run', 'run.json');
  const m = JSON.parse(await readFile(file, 'utf8')) as RunManifest;
  m.steadyState = { status: 'drifting', seconds: 10, rpsChangePct: -4, p50ChangePct: 190, bounds: { rpsPct: 20, p50Pct: 50 }, message: 'not a steady state: p50 +190%' };
  m.label = { label: 'v1.2.0', gitDescribe: 'v1.2.0-1-gdeadbee' };
  // A hostile folded path in run.json must not become a link out of the run directory.
  m.probes = m.probes.map((p) => (p.id === 'lua' ? { ...p, folded: '../../etc/passwd' } : p));
  await writeFile(file, JSON.stringify(m));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

describe('report: profiles that travel, and the steady-state flag', () => {
  it("links each probe's folded file (inside the run only) and says how to open it elsewhere", async () => {
    const html = await readFile(await renderRunReport(path.join(tmp, 'run')), 'utf8');
    const lines = [...html.matchAll(/<p class="muted small open-elsewhere">([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('<a href="stacks/cpu.folded">stacks/cpu.folded</a>');
    expect(lines[0]).toContain('flamebench export speedscope stacks/cpu.folded');
    expect(lines[0]).toContain('flamebench export pprof stacks/cpu.folded');
    expect(html).not.toContain('href="../../etc/passwd"');
  });

  it('shows whether the window was steady, with the drift and its bounds, and the label', async () => {
    const html = await readFile(await renderRunReport(path.join(tmp, 'run')), 'utf8');
    expect(html).toMatch(/Steady state[\s\S]{0,200}no — the window drifted[\s\S]{0,200}p50 \+190% \(bounds ±20%, ±50%\)/);
    expect(html).toMatch(/v1\.2\.0 · git v1\.2\.0-1-gdeadbee/);
  });
});
