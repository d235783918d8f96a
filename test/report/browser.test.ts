import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../src/report/index.js';

/**
 * The report in a real browser (Debian's chromium): it loads offline with no errors, the flame
 * graphs work, and hostile strings from the run directory display as text without executing.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Screenshots are kept here for a human to look at. */
export const SCREENSHOT_DIR = path.join(os.tmpdir(), 'flamebench-report-screens');

let browser: Browser;
let tmp: string;
let sampleUrl: string;
let hostileUrl: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fb-report-browser-'));
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  for (const name of ['run-sample', 'run-hostile']) await cp(path.join(root, 'test/fixtures', name), path.join(tmp, name), { recursive: true });
  sampleUrl = pathToFileURL(await renderRunReport(path.join(tmp, 'run-sample'))).href;
  hostileUrl = pathToFileURL(await renderRunReport(path.join(tmp, 'run-hostile'))).href;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await rm(tmp, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  failed: string[];
  dialogs: string[];
}

/** The contexts of the pages open() made; each test's are closed after it, whether it passed or not. */
const opened: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

/** A page that blocks and records all network, and records console errors and dialogs; closed after the test. */
async function open(url: string): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
  opened.push(context);
  const w: Watched = { page: await context.newPage(), consoleErrors: [], requests: [], failed: [], dialogs: [] };
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  w.page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') w.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  w.page.on('pageerror', (e) => w.consoleErrors.push(`pageerror: ${e.message}`));
  w.page.on('request', (r) => w.requests.push(r.url()));
  w.page.on('requestfailed', (r) => w.failed.push(r.url()));
  w.page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await w.page.goto(url, { waitUntil: 'load' });
  return w;
}

describe('run report in chromium', () => {
  it('loads self-contained: no console errors, no request but the file itself', async () => {
    const w = await open(sampleUrl);
    expect(w.consoleErrors).toEqual([]);
    expect(w.requests).toEqual([sampleUrl]);
    expect(w.failed).toEqual([]);
    expect(await w.page.title()).toContain('lua-work');
    // The four plots are drawn and visible.
    const charts = w.page.locator('svg.chart');
    expect(await charts.count()).toBe(4);
    for (let i = 0; i < 4; i++) expect(await charts.nth(i).isVisible()).toBe(true);
    // The loader-bound warning is visible.
    await expect(w.page.getByText('The loader was the bottleneck, not nginx').isVisible()).resolves.toBe(true);
    // The failed probe has its own section with its error.
    await expect(w.page.locator('[data-probe-status="failed"] .probe-error-message').textContent()).resolves.toContain('tracefs is not mounted');
    const shot = path.join(SCREENSHOT_DIR, 'run-sample.png');
    await w.page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(50_000);
  });

  it('shows one flame graph per ok probe; clicking a frame zooms it; Reset Zoom restores', async () => {
    const w = await open(sampleUrl);
    const fg = w.page.locator('#fg0-root');
    expect(await fg.isVisible()).toBe(true);
    expect((await fg.boundingBox())!.width).toBeGreaterThan(800);
    expect(await w.page.locator('#fg1-root').isVisible()).toBe(true);
    const frame = w.page.locator('#fg0-frames > g', { has: w.page.locator('title', { hasText: /^ngx_http_lua_ffi_md5 \(/ }) });
    expect(await frame.count()).toBe(1);
    const rect = frame.locator('rect');
    const before = Number(await rect.getAttribute('width'));
    expect(before).toBeLessThan(1000);
    await frame.click();
    // Zoomed: the frame spans the full width (1200 - 2 × 10 px padding); frames outside it are hidden.
    expect(Number(await rect.getAttribute('width'))).toBeCloseTo(1180, 0);
    expect(await w.page.locator('#fg0-unzoom').evaluate((e) => getComputedStyle(e).opacity)).toBe('1');
    const main = w.page.locator('#fg0-frames > g', { has: w.page.locator('title', { hasText: /^main \(/ }) });
    expect(await main.evaluate((e) => (e as SVGGElement).style.display)).toBe('none');
    await w.page.locator('#fg0-unzoom').click();
    expect(Number(await rect.getAttribute('width'))).toBeCloseTo(before, 1);
    expect(await main.evaluate((e) => (e as SVGGElement).style.display)).toBe('');
    // The other graph on the page was not touched.
    expect(await w.page.locator('#fg1-unzoom').evaluate((e) => getComputedStyle(e).opacity)).toBe('0');
    expect(w.consoleErrors).toEqual([]);
  });

  it('search highlights the matching frames and prints Matched: x%', async () => {
    const w = await open(sampleUrl);
    w.page.removeAllListeners('dialog');
    w.page.once('dialog', (d) => void d.accept('^ngx_http_lua'));
    await w.page.locator('#fg0-search').click();
    await expect(w.page.locator('#fg0-matched').textContent()).resolves.toMatch(/^Matched: \d+\.\d%$/);
    const pct = Number((await w.page.locator('#fg0-matched').textContent())!.match(/[\d.]+/)![0]);
    expect(pct).toBeGreaterThan(5);
    const hits = await w.page.locator('#fg0-frames rect[fill="#e600e6"]').count();
    const expected = await w.page.locator('#fg0-frames > g > title').evaluateAll((ts) => ts.filter((t) => /^ngx_http_lua/.test(t.textContent ?? '')).length);
    expect(hits).toBe(expected);
    expect(hits).toBeGreaterThan(0);
    expect(await w.page.locator('#fg0-search').textContent()).toBe('Reset Search');
    expect(w.consoleErrors).toEqual([]);
  });

  it('a Lua scenario: "where the time goes" first, the Lua-land graph leads, probe bookkeeping is folded away', async () => {
    const w = await open(sampleUrl);
    const page = w.page;
    const where = page.locator('#where-time');
    expect(await where.isVisible()).toBe(true);
    // above the summary cards, in the first screen
    const box = (await where.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(900);
    const items = await where.locator('li').allTextContents();
    expect(items).toHaveLength(2);
    expect(items[0]).toMatch(/^lua on-CPU, Lua stacks \(LuaJIT jit\.profile\): builtin#string\.format \d+\.\d%/);
    expect(items[1]).toMatch(/^cpu on-CPU, C stacks \(perf\): \[nginx\] \d+\.\d%/);
    // the link goes to the probe's section
    await where.locator('a', { hasText: 'lua' }).click();
    await expect(page.evaluate(() => location.hash)).resolves.toBe('#probe-1-lua');
    // sections and table of contents in display order: lua, then cpu, then the failed offcpu
    expect(await page.locator('section.probe').evaluateAll((ss) => ss.map((s) => s.id))).toEqual(['probe-1-lua', 'probe-0-cpu', 'probe-2-offcpu']);
    expect(await page.locator('nav.toc a').allTextContents()).toEqual(expect.arrayContaining(['lua', 'cpu', 'offcpu']));
    const toc = await page.locator('nav.toc a').allTextContents();
    expect(toc.indexOf('lua')).toBeLessThan(toc.indexOf('cpu'));
    expect(await page.locator('#probe-order-note').isVisible()).toBe(true);
    // the Lua-land flame graph is drawn first on the page
    const graphs = await page.locator('svg.flamegraph').evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect().top + window.scrollY));
    const luaTop = await page.locator('#fg1-root').evaluate((g) => g.getBoundingClientRect().top + window.scrollY);
    expect(luaTop).toBe(Math.min(...graphs));
    // internal meta keys sit in a closed details block until asked for
    const cpu = page.locator('#probe-0-cpu');
    const key = cpu.locator('.probe-details th', { hasText: 'dwarfStacksReachingMain' });
    expect(await key.count()).toBe(1);
    expect(await key.isVisible()).toBe(false);
    expect(await cpu.locator('.probe-facts').textContent()).not.toContain('dwarfStacksReachingMain');
    await cpu.locator('.probe-details summary').click();
    expect(await key.isVisible()).toBe(true);
    expect(await page.locator('#probe-1-lua .probe-details th', { hasText: 'cTimeFlaggedSamples' }).isVisible()).toBe(false);
    expect(w.consoleErrors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'run-sample-lead.png') });
  });

  it('hostile strings display as text and nothing executes', async () => {
    const w = await open(hostileUrl);
    const page = w.page;
    const payload = `<script>alert(1)</script>"'&</svg></pre><img src=x onerror="window.__pwned=1">`;
    expect(w.dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(w.consoleErrors).toEqual([]);
    expect(w.requests).toEqual([hostileUrl]);
    // No element came from the data: only our scripts (report.js + one per flame graph), no <img>.
    expect(await page.locator('script').count()).toBe(3);
    expect(await page.locator('img').count()).toBe(0);
    // Shown as text, verbatim.
    expect(await page.locator('#scenario-name').textContent()).toContain(`evil ${payload}`);
    expect(await page.locator('#scenario-description').textContent()).toBe(`description ${payload}`);
    expect(await page.locator('#status-banner').textContent()).toContain(`interrupted ${payload}`);
    expect(await page.locator('#nginx-conf-text').textContent()).toBe(`# ${payload}\nhttp { server { location / { return 200 '${payload}'; } } }\n`);
    expect(await page.locator('#nginx-v').textContent()).toContain(payload);
    expect(await page.locator('#scenario-text').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('.probe-error-message').textContent()).toBe(`perf died: ${payload}`);
    const frames = await page.locator('.top-frames td.frame').allTextContents();
    expect(frames).toContain(payload);
    expect(frames).toContain('</svg><script>alert(3)</script>');
    expect(frames).toContain(`evil.lua:1 ${payload}`);
    // In the flame graph too (tooltips hold the full name), and the graph still works.
    const titles = await page.locator('svg.flamegraph title').allTextContents();
    expect(titles.some((t) => t.startsWith(`${payload} (`))).toBe(true);
    const evil = page.locator('[id$="frames"] > g', { has: page.locator('title', { hasText: 'alert(3)' }) }).first();
    await evil.hover();
    await evil.click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(w.dialogs).toEqual([]);
    expect(w.consoleErrors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'run-hostile.png'), fullPage: true });
  });
});
