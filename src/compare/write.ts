import { comparePaths, type ComparePaths } from '../runs/paths.js';
import { writeFileAtomic, writeJsonAtomic } from '../runs/atomic.js';
import { renderCompareHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { Comparison } from './types.js';

export interface WrittenComparison {
  json: string;
  html: string;
  markdown: string;
  /** Only with { junit: true }. */
  junit: string | null;
}

/** compare.json, compare.md and compare.html (and compare.junit.xml on request) into outDir. */
export async function writeComparison(outDir: string, comparison: Comparison, opts: { junit: boolean }): Promise<WrittenComparison> {
  const paths: ComparePaths = comparePaths(outDir);
  await writeJsonAtomic(paths.json, comparison);
  await writeFileAtomic(paths.markdown, renderMarkdown(comparison));
  await writeFileAtomic(paths.html, await renderCompareHtml(comparison));
  if (opts.junit) await writeFileAtomic(paths.junit, renderJunit(comparison));
  return { json: paths.json, html: paths.html, markdown: paths.markdown, junit: opts.junit ? paths.junit : null };
}
