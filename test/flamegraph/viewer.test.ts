/**
 * The viewer in Debian's chromium (headless, playwright-core): search from the URL (?s=), zoom kept
 * in the URL, Ctrl-I case-insensitive search, labels re-laid out on resize, keyboard shortcuts in
 * a page with several graphs, and --nameattr links. Data: inferno's base/flames.txt (a GraphQL server in Rust).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderSvg } from '../../src/flamegraph/index.js';
import { renderRunReport } from '../../src/report/index.js';
import { parseNameAttr } from '../../src/flamegraph/nameattr.js';
import { parseFolded } from '../../src/stacks/folded.js';
import { launch, watch } from './browser-helpers.js';

const FLAMES = parseFolded(readFileSync(new URL('../fixtures/inferno/flamegraph/base/flames.txt', import.meta.url), 'utf8')).stacks;
let browser: Browser;
let dir: string;
let file: string;

beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(path.join(tmpdir(), 'fb-viewer-'));
  file = path.join(dir, 'flames.svg');
  writeFileSync(file, renderSvg(FLAMES, { title: 'inferno base' }));
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const matched = (page: Page, p = 'fg-') => page.textContent(`#${p}matched`);
const highlighted = (page: Page, p = 'fg-') => page.locator(`#${p}frames rect[fill="#e600e6"]`).count();
const pctOf = (t: string | null) => Number((t ?? '').replace(/[^\d.]/g, ''));

describe('the URL', () => {
  it('?s=regex searches on load', async () => {
    const page = await browser.newPage();
    const w = watch(page);
    await page.goto(`${pathToFileURL(file).href}?s=${encodeURIComponent('^u32::|Integer_')}`);
    expect(await matched(page)).toMatch(/^Matched: \d+\.\d%$/);
    expect(pctOf(await matched(page))).toBeGreaterThan(0);
    expect(await highlighted(page)).toBeGreaterThan(0);
    expect(await page.textContent('#fg-search')).toBe('Reset Search');
    expect(w.errors).toEqual([]);
    await page.close();
  });

  it('keeps the zoomed frame (x, y) and the search, so a reload shows the same view', async () => {
    const page = await browser.newPage();
    const w = watch(page);
    await page.goto(pathToFileURL(file).href);
    const i = await page.evaluate(() => {
      const rs = [...document.querySelectorAll('#fg-frames > g > rect')];
      return rs.findIndex((r) => Number(r.getAttribute('width')) > 100 && Number(r.getAttribute('width')) < 600);
    });
    expect(i).toBeGreaterThan(0);
    const frame = page.locator('#fg-frames > g').nth(i);
    const title = await frame.locator('title').textContent();
    await frame.locator('rect').click();
    const url = new URL(page.url());
    expect(Number(url.searchParams.get('x'))).toBeGreaterThanOrEqual(10);
    expect(Number(url.searchParams.get('y'))).toBeGreaterThan(0);
    await page.evaluate(() => (document.documentElement as unknown as { flamegraph: { search(s: string): number } }).flamegraph.search('a'));
    expect(new URL(page.url()).searchParams.get('s')).toBe('a');

    await page.reload();
    const again = page.locator('#fg-frames > g', { has: page.locator('title', { hasText: title ?? '' }) }).first();
    expect(Number(await again.locator('rect').getAttribute('width'))).toBeCloseTo(1180, 0);
    expect(await page.locator('#fg-unzoom').evaluate((e) => (e as SVGElement).style.opacity)).toBe('1');
    expect(await matched(page)).toMatch(/^Matched: /);

    await page.click('#fg-unzoom');
    expect(new URL(page.url()).searchParams.has('x')).toBe(false);
    await page.click('#fg-search'); // Reset Search
    expect(new URL(page.url()).searchParams.has('s')).toBe(false);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe('keyboard, standalone', () => {
  it('Ctrl-I toggles case-insensitive search; Ctrl-F prompts; Escape resets', async () => {
    const page = await browser.newPage();
    let answer = 'TREEBUF';
    const w = watch(page, () => answer);
    await page.goto(pathToFileURL(file).href);
    await page.keyboard.press('Control+f');
    expect(pctOf(await matched(page))).toBe(0); // case-sensitive: the names say treebuf
    await page.keyboard.press('Control+i'); // redoes the search without case
    const ic = pctOf(await matched(page));
    expect(ic).toBeGreaterThan(0);
    expect(await page.locator('#fg-ignorecase').evaluate((e) => (e as SVGElement).style.fill)).not.toBe('');
    await page.keyboard.press('Escape');
    expect((await matched(page))?.trim()).toBe('');
    answer = 'treebuf';
    await page.keyboard.press('Control+f');
    expect(pctOf(await matched(page))).toBeCloseTo(ic, 5); // still ignoring case: same frames
    await page.click('#fg-ignorecase'); // the "ic" button does the same
    expect(pctOf(await matched(page))).toBeLessThanOrEqual(ic);
    expect(w.dialogs).toHaveLength(2);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe('resize', () => {
  it('a standalone SVG follows the window width: frames and labels re-laid out', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
    const w = watch(page);
    await page.goto(pathToFileURL(file).href);
    const labels = () => page.evaluate(() => [...document.querySelectorAll('#fg-frames text')].map((t) => t.textContent ?? '').join('|'));
    const wide = await labels();
    await page.setViewportSize({ width: 700, height: 800 });
    await page.waitForFunction(() => document.documentElement.getAttribute('width') === '700');
    const rootRect = await page.locator('#fg-frames > g').first().locator('rect').getAttribute('width');
    expect(Number(rootRect)).toBeCloseTo(680, 1);
    const narrow = await labels();
    expect(narrow).not.toBe(wide);
    expect(narrow.length).toBeLessThan(wide.length); // less room, shorter labels
    expect(await page.locator('#fg-search').getAttribute('x')).toBe(String(700 - 10 - 100));
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe('several graphs on one HTML page', () => {
  it('shortcuts go to the graph under the pointer (or last clicked), not to the others or the page', async () => {
    const a = renderSvg(new Map([['main;alpha', 5], ['main;beta', 5]]), { idPrefix: 'a-', width: 600 });
    const b = renderSvg(new Map([['main;gamma', 5], ['main;delta', 5]]), { idPrefix: 'b-', width: 600 });
    const page = await browser.newPage({ viewport: { width: 700, height: 600 } });
    const answers = ['gamma', 'alpha'];
    const w = watch(page, () => answers.shift());
    await page.setContent(`<!doctype html><html><body><p id="text">page text</p>${a}<br>${b}</body></html>`);

    await page.hover('#text');
    await page.keyboard.press('Control+f'); // neither graph is active: nothing happens
    expect(w.dialogs).toEqual([]);

    await page.hover('#b-frames > g:nth-child(2) rect');
    await page.keyboard.press('Control+f');
    expect(await matched(page, 'b-')).toBe('Matched: 50.0%');
    expect((await matched(page, 'a-'))?.trim()).toBe('');

    await page.click('#a-frames > g:nth-child(1) rect'); // clicked: stays active when the pointer leaves
    await page.hover('#text');
    await page.keyboard.press('Control+f');
    expect(await matched(page, 'a-')).toBe('Matched: 50.0%');
    await page.keyboard.press('Escape');
    expect((await matched(page, 'a-'))?.trim()).toBe('');
    expect(await matched(page, 'b-')).toBe('Matched: 50.0%');
    expect(w.dialogs).toHaveLength(2);
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe('--nameattr links', () => {
  it('a linked frame still zooms and shows its details', async () => {
    const { attrs } = parseNameAttr('alpha\ttitle=the alpha frame\thref=#alpha\tclass=linked\n');
    const svg = renderSvg(new Map([['main;alpha;leaf', 5], ['main;beta', 5]]), { nameAttr: attrs });
    const page = await browser.newPage();
    const w = watch(page);
    // From a file: the link's fragment navigation stays in the document (on about:blank it would not).
    const html = path.join(dir, 'linked.html');
    writeFileSync(html, `<!doctype html><html><body>${svg}</body></html>`);
    await page.goto(pathToFileURL(html).href);
    const g = page.locator('#fg-frames > g.linked');
    expect(await g.evaluate((el) => el.querySelector('a')?.getAttribute('href'))).toBe('#alpha');
    await g.locator('rect').hover();
    expect(await page.textContent('#fg-details')).toBe('Function: alpha (the alpha frame)');
    await g.locator('rect').click();
    expect(Number(await g.locator('rect').getAttribute('width'))).toBeCloseTo(1180, 0);
    expect(new URL(page.url()).hash).toBe('#alpha');
    expect(w.errors).toEqual([]);
    await page.close();
  });
});

describe('in the run report (test/fixtures/run-sample)', () => {
  it('Ctrl-F over a flame graph searches that graph; elsewhere the page keeps Ctrl-F', async () => {
    const run = path.join(dir, 'run-sample');
    cpSync(new URL('../fixtures/run-sample', import.meta.url), run, { recursive: true });
    const report = await renderRunReport(run);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const w = watch(page, () => '.');
    await page.goto(pathToFileURL(report).href);
    const roots = await page.evaluate(() => [...document.querySelectorAll('svg.flamegraph')].map((e) => e.id));
    expect(roots.length).toBeGreaterThan(0);
    const p = (roots[0] as string).replace(/root$/, '');
    await page.locator(`#${p}frames > g`).first().locator('rect').scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await page.keyboard.press('Control+f');
    expect(w.dialogs).toEqual([]); // not over a graph: the browser's own find
    await page.locator(`#${p}frames > g`).first().locator('rect').hover();
    await page.keyboard.press('Control+f');
    expect(w.dialogs).toHaveLength(1);
    expect(await page.textContent(`#${p}matched`)).toBe('Matched: 100.0%');
    await page.keyboard.press('Escape');
    expect((await page.textContent(`#${p}matched`))?.trim()).toBe('');
    expect(w.errors).toEqual([]);
    await page.close();
  });
});
