import { readFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import type { ReportModel } from './model/types.js';

/**
 * Model → HTML through handlebars. {{ }} escapes; the triple-stash spots are listed at the top of
 * templates/report.hbs (our CSS/JS assets, our SVG plots, and src/flamegraph's SVG).
 */

const asset = (name: string) => readFile(new URL(`./templates/${name}`, import.meta.url), 'utf8');

type Template = (ctx: unknown) => string;
let compiled: Promise<{ page: Template; css: string; js: string }> | null = null;

async function compile(): Promise<{ page: Template; css: string; js: string }> {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const [page, facts, probe, css, js] = await Promise.all([
    asset('report.hbs'),
    asset('facts.hbs'),
    asset('probe.hbs'),
    asset('report.css'),
    asset('report.js'),
  ]);
  hb.registerPartial('facts', facts);
  hb.registerPartial('probe', probe);
  return { page: hb.compile(page), css, js };
}

export async function renderReportHtml(model: ReportModel): Promise<string> {
  compiled ??= compile();
  const { page, css, js } = await compiled;
  return page({ ...model, css, js });
}
