import { isMetricName, metricInfo } from '../../metrics/catalogue.js';
import type { RunManifest, ThresholdRecord } from '../../runs/types.js';
import type { ThresholdsView, Tone } from './types.js';

const MARK: Record<ThresholdRecord['status'], { mark: string; tone: Tone }> = {
  pass: { mark: 'pass', tone: 'ok' },
  improvement: { mark: 'pass', tone: 'ok' },
  fail: { mark: 'FAIL', tone: 'bad' },
  inconclusive: { mark: 'not checked', tone: 'warn' },
};

/** The `run -t` limits checked on this run, as the terminal printed them; null when none were given. */
export function thresholdsView(m: RunManifest): ThresholdsView | null {
  const checks = m.thresholds;
  if (!checks || checks.length === 0) return null;
  const failed = checks.filter((c) => c.status === 'fail').length;
  const open = checks.filter((c) => c.status === 'inconclusive').length;
  return {
    outcome: failed > 0 ? `${failed} of ${checks.length} limit(s) failed` : open > 0 ? `${open} limit(s) could not be checked` : `all ${checks.length} limit(s) met`,
    tone: failed > 0 ? 'bad' : open > 0 ? 'warn' : 'ok',
    rows: checks.map((c) => ({
      ...MARK[c.status],
      metric: isMetricName(c.metric) ? metricInfo(c.metric).label : c.metric,
      rule: c.rule,
      reason: c.reason,
    })),
  };
}
