import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../src/runs/types.js';

/**
 * `flamebench report` on a run directory that the real `flamebench run` wrote: real nginx, real
 * autocannon, real perf (2 s measured window), then the report in a real browser.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/main.ts');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let tmp: string;
let browser: Browser | undefined;
let runDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fb-report-real-'));
  runDir = path.join(tmp, 'hello');
  const r = await cli(['run', 'scenarios/hello.yaml', '--out', runDir, '--duration', '2', '--warmup', '1', '--no-report', '--quiet']);
  if (r.code !== 0) throw new Error(`flamebench run failed (${r.code}): ${r.stderr}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('report of a real run', () => {
  it('renders with a section per probe and loads in chromium without errors', async () => {
    const r = await cli(['report', runDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = r.stdout.trim();
    expect(file).toBe(path.join(runDir, 'report.html'));
    const manifest = JSON.parse(await readFile(path.join(runDir, 'run.json'), 'utf8')) as RunManifest;
    expect(manifest.probes.length).toBeGreaterThan(0);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(url, { waitUntil: 'load' });
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('#scenario-name').textContent()).toContain('hello');
    expect(await page.locator('svg.chart').count()).toBe(4);
    const sections = page.locator('section.probe');
    expect(await sections.count()).toBe(manifest.probes.length);
    for (let i = 0; i < manifest.probes.length; i++) {
      const p = manifest.probes[i]!;
      const s = sections.nth(i);
      expect(await s.getAttribute('data-probe-status')).toBe(p.status);
      if (p.status === 'ok' && (p.samples ?? 0) > 0) {
        expect(await s.locator('svg.flamegraph').isVisible()).toBe(true);
        expect(await s.locator('table.top-frames tbody tr').count()).toBeGreaterThan(0);
      } else if (p.status === 'failed' || p.status === 'unavailable') {
        expect(await s.locator('.probe-error').isVisible()).toBe(true);
      }
    }
    await page.screenshot({ path: path.join(os.tmpdir(), 'flamebench-report-screens', 'real-hello.png'), fullPage: true }).catch(() => undefined);
    await context.close();
  });
});
