import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
const workflow = parse(readFileSync(path.join(repoRoot, 'docs/ci/github-actions.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };

describe('docs/ci/github-actions.yml, single-run jobs', () => {
  const steps = workflow.jobs.check!.steps;
  const run = steps.map((s) => s.run ?? '').find((r) => r.includes(' run scenarios/'))!;

  it('uses run --repeat, -t and --duration with units instead of a shell loop', () => {
    expect(run).toMatch(/--repeat 3\b/);
    expect(run).toMatch(/--duration 10s\b/);
    expect(run).toMatch(/--warmup 2s\b/);
    expect(run.match(/-t '[A-Za-z0-9]+(==|<=|>=)[\d.]+(ms|us|s|%)?'/g)).toHaveLength(3);
    expect(run).not.toMatch(/\b(for|while)\b[^\n]*\b(do|;)/);
    // The run's own exit code (99 on a violated limit) ends the step.
    expect(run).toMatch(/pipefail/);
    expect(run).toMatch(/exit "\$code"/);
  });

  it('writes the verdict to the job summary and uploads the run directory, also after a failure', () => {
    expect(run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with?.path).toBe('reports/check');
    expect(run).toContain('--out reports/check');
  });

  it('keeps the A/B job, and the history job labels its runs and exports trend JSON', () => {
    expect(workflow.jobs.ab!.steps.some((s) => s.run?.includes('compare.md >> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
    const hist = workflow.jobs.history!.steps.map((s) => s.run ?? '').join('\n');
    expect(hist).toMatch(/--repeat 3 --duration 10s/);
    expect(hist).toMatch(/--label "\$\{GITHUB_SHA::8\}"/);
    expect(hist).toContain('export benchmark-action');
    expect(hist).toContain('export bencher');
  });
});
