/**
 * The SVG in Debian's chromium (headless, via playwright-core): standalone zoom/reset/search/details,
 * hostile frame names, and two graphs inlined into one HTML page. Screenshots go to the OS temp dir
 * (path printed) to be looked at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderDiffSvg, renderSvg } from '../../src/flamegraph/index.js';
import { parseFolded, type Folded } from '../../src/stacks/folded.js';
import { FLAMEGRAPH_PERF } from '../helpers/fixtures.js';
import { launch, watch } from './browser-helpers.js';

const VERTX = path.join(FLAMEGRAPH_PERF, 'results/perf-vertx-stacks-01-collapsed-all.txt');

let browser: Browser;
let dir: string;
const shots = path.join(tmpdir(), 'flamebench-flamegraph-shots');

beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(path.join(tmpdir(), 'fb-fg-browser-'));
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`screenshots in ${shots}`);
});

async function openSvg(svg: string, name: string, page: Page): Promise<void> {
  const file = path.join(dir, name);
  writeFileSync(file, svg);
  await page.goto(`file://${file}`);
}

/** Share of samples whose stack has a frame matching re (what "Matched:" must say). */
function matchedShare(folded: Folded, re: RegExp): number {
  let hit = 0;
  let total = 0;
  for (const [stack, count] of folded) {
    total += count;
    if (stack.split(';').some((f) => re.test(f.replace(/_\[[kjiw]\]$/, '')))) hit += count;
  }
  return (100 * hit) / total;
}

describe('standalone SVG in chromium', () => {
  it('zooms on click, resets, searches with "Matched: x%", shows details on hover', async () => {
    const folded = parseFolded(readFileSync(VERTX, 'utf8')).stacks;
    const svg = renderSvg(folded, { title: 'vert.x (FlameGraph test data)', subtitle: 'perf --all' });
    let answer: string | undefined = 'write';
    const page = await browser.newPage();
    const w = watch(page, () => answer);
    await openSvg(svg, 'vertx.svg', page);

    // A frame narrower than the graph, with siblings: click it.
    const target = await page.evaluate(() => {
      const gs = [...document.querySelectorAll('#fg-frames > g')];
      const i = gs.findIndex((g) => {
        const r = g.querySelector('rect') as SVGRectElement;
        const wv = Number(r.getAttribute('width'));
        return wv > 150 && wv < 500;
      });
      const r = gs[i]?.querySelector('rect') as SVGRectElement;
      return { i, width: Number(r.getAttribute('width')), title: gs[i]?.querySelector('title')?.textContent ?? '' };
    });
    expect(target.i).toBeGreaterThan(0);
    const rect = page.locator('#fg-frames > g').nth(target.i).locator('rect');
    await rect.hover();
    expect(await page.textContent('#fg-details')).toBe(`Function: ${target.title}`);
    await rect.click();
    expect(Number(await rect.getAttribute('width'))).toBeCloseTo(1180, 0);
    expect(await page.locator('#fg-unzoom').evaluate((e) => (e as SVGElement).style.opacity)).toBe('1');
    const hidden = await page.evaluate(
      () => [...document.querySelectorAll('#fg-frames > g')].filter((g) => (g as SVGGElement).style.display === 'none').length,
    );
    expect(hidden).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'standalone-zoomed.png') });

    await page.click('#fg-unzoom');
    expect(Number(await rect.getAttribute('width'))).toBeCloseTo(target.width, 2);
    expect(
      await page.evaluate(() => [...document.querySelectorAll('#fg-frames > g')].every((g) => (g as SVGGElement).style.display === '')),
    ).toBe(true);

    // Search through the UI: the Search button prompts for a regexp.
    await page.click('#fg-search');
    const matched = await page.textContent('#fg-matched');
    const expected = matchedShare(folded, /write/);
    expect(expected).toBeGreaterThan(1);
    expect(matched).toMatch(/^Matched: \d+\.\d%$/);
    expect(Number(matched?.replace(/[^\d.]/g, ''))).toBeCloseTo(expected, 0);
    const highlighted = await page.evaluate(
      () => [...document.querySelectorAll('#fg-frames rect')].filter((r) => r.getAttribute('fill') === '#e600e6').length,
    );
    expect(highlighted).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'standalone-search.png') });
    answer = undefined;
    await page.click('#fg-search'); // now "Reset Search"
    expect(await page.textContent('#fg-matched')).toBe(' ');

    expect(w.errors).toEqual([]);
    expect(w.dialogs).toHaveLength(1); // the search prompt, nothing else
    await page.close();
  });
});

const EVIL = ['<script>alert(1)</script>', '"onmouseover="alert(2)', "'quoted'", 'a & b', '</svg><img src=x onerror=alert(3)>', ']]><script>alert(4)</script>'];

describe('hostile frame names', () => {
  const folded: Folded = new Map(EVIL.map((n, i) => [`main;${n};leaf${i}`, 10 + i]));
  const svg = renderSvg(folded, { title: '<b>T</b> & "x"', subtitle: '</svg>' });

  it('stay text: well-formed XML, no dialog, no console error, names shown as text', async () => {
    const page = await browser.newPage();
    const w = watch(page);
    await openSvg(svg, 'evil.svg', page);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return { errors: doc.getElementsByTagName('parsererror').length, root: doc.documentElement.nodeName };
    }, svg);
    expect(parsed).toEqual({ errors: 0, root: 'svg' });
    const titles = await page.evaluate(() => [...document.querySelectorAll('#fg-frames title')].map((t) => t.textContent ?? ''));
    for (const n of EVIL) expect(titles.some((t) => t.startsWith(`${n} (`))).toBe(true);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(1);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    // Hover each hostile frame: the details line shows the name as text.
    for (const n of EVIL.slice(0, 2)) {
      const g = page.locator('#fg-frames > g', { has: page.locator('title', { hasText: n }) }).first();
      await g.locator('rect').hover();
      expect(await page.textContent('#fg-details')).toContain(n);
    }
    await page.screenshot({ path: path.join(shots, 'hostile-names.png') });
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it('stay text when the SVG is inlined into an HTML page', async () => {
    const page = await browser.newPage();
    const w = watch(page);
    await page.setContent(`<!doctype html><html><body>${svg}</body></html>`);
    await page.locator('#fg-frames > g').nth(3).locator('rect').click();
    expect(await page.evaluate(() => document.querySelectorAll('img, body > script').length)).toBe(0);
    expect(w.dialogs).toEqual([]);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe('two graphs on one HTML page', () => {
  it('keep to themselves: own ids, own state, a scripting API', async () => {
    const lua: Folded = new Map([
      ['nginx;ngx_epoll_process_events;ngx_http_process_request;ngx_http_lua_content_handler;content_by_lua(nginx.conf:40):3;@/usr/local/lib/lua/app.lua:12;builtin#29', 300],
      ['nginx;ngx_epoll_process_events;ngx_http_process_request;ngx_http_lua_content_handler;content_by_lua(nginx.conf:40):3;@/usr/local/lib/lua/json.lua:88', 200],
      ['nginx;ngx_epoll_process_events;ngx_http_process_request;ngx_http_lua_content_handler;lj_BC_FUNCC;lj_str_new', 120],
      ['nginx;ngx_epoll_process_events;ngx_http_finalize_request;ngx_http_write_filter;writev;entry_SYSCALL_64_[k];tcp_sendmsg_[k]', 250],
      ['nginx;ngx_epoll_process_events;[libc.so.6]', 40],
      ['nginx;ngx_process_events_and_timers;epoll_wait;entry_SYSCALL_64_[k];do_epoll_wait_[k]', 90],
    ]);
    const a = renderSvg(lua, { idPrefix: 'a-', title: 'on-CPU (C + Lua)', width: 1000 });
    const diff = new Map([...lua].map(([k, v], i) => [k, { before: v, after: i === 0 ? v * 3 : i === 3 ? Math.round(v / 3) : v }]));
    const b = renderDiffSvg(diff, { idPrefix: 'b-', title: 'before → after', width: 1000 });
    const page = await browser.newPage({ viewport: { width: 1040, height: 760 } });
    const w = watch(page);
    await page.setContent(`<!doctype html><html><body style="margin:8px">${a}<br>${b}</body></html>`);

    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    const api = await page.evaluate(() => ['a-root', 'b-root'].map((id) => typeof (document.getElementById(id) as unknown as { flamegraph?: object }).flamegraph));
    expect(api).toEqual(['object', 'object']);

    await page.screenshot({ path: path.join(shots, 'two-graphs-initial.png'), fullPage: true });
    const widthsB = () => page.evaluate(() => [...document.querySelectorAll('#b-frames rect')].map((r) => r.getAttribute('width')));
    const before = await widthsB();
    const lj = page.locator('#a-frames > g', { has: page.locator('title', { hasText: /^lj_BC_FUNCC / }) });
    await lj.locator('rect').click();
    expect(Number(await lj.locator('rect').getAttribute('width'))).toBeCloseTo(980, 0);
    expect(await widthsB()).toEqual(before);
    expect(await page.evaluate(() => (document.getElementById('b-unzoom') as unknown as SVGElement).style.opacity)).toBe('0');

    const pct = await page.evaluate(() =>
      (document.getElementById('b-root') as unknown as { flamegraph: { search(re: string): number } }).flamegraph.search('lua'),
    );
    expect(pct).toBeGreaterThan(10);
    expect(await page.textContent('#b-matched')).toMatch(/^Matched: /);
    expect((await page.textContent('#a-matched'))?.trim()).toBe('');
    await page.screenshot({ path: path.join(shots, 'two-graphs.png'), fullPage: true });
    expect(w.errors).toEqual([]);
    expect(w.dialogs).toEqual([]);
    await page.close();
  });

  it('still keep apart when both kept the default id prefix (each script finds its own <svg>)', async () => {
    const g1 = renderSvg(new Map([['m;a', 1], ['m;b', 1]]));
    const g2 = renderSvg(new Map([['n;c', 1], ['n;d', 3]]));
    const page = await browser.newPage();
    const w = watch(page);
    await page.setContent(`<!doctype html><html><body><div id="one">${g1}</div><div id="two">${g2}</div></body></html>`);
    const d = page.locator('#two #fg-frames > g', { has: page.locator('title', { hasText: /^d / }) });
    await d.locator('rect').click();
    expect(Number(await d.locator('rect').getAttribute('width'))).toBeCloseTo(1180, 0);
    const oneWidths = await page.evaluate(() => [...document.querySelectorAll('#one rect[rx]')].map((r) => Number(r.getAttribute('width'))));
    expect(oneWidths).toEqual([1180, 1180, 590, 590]);
    expect(await page.evaluate(() => (document.querySelector('#one svg') as SVGSVGElement & { flamegraph?: unknown }).flamegraph !== undefined)).toBe(true);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});
