import type { ErrorRecord } from '../../errors.js';
import type { RunStatus } from '../../runs/types.js';
import type { FrameKind } from './frames.js';
import type { WhereTimeRow } from './lead.js';

/**
 * The report's view model: everything already formatted as strings, so templates stay logic-free.
 * Fields named `svg` hold markup produced by our own renderers (which escape their inputs); every
 * other string is raw text that the template escapes with {{ }}.
 */

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

export interface Fact {
  label: string;
  value: string;
  /** Small print under or after the value. */
  note?: string;
  tone?: Tone;
}

export interface Alert {
  level: 'danger' | 'warning' | 'info';
  title: string;
  message: string;
  hint?: string;
  details?: string[];
}

export interface StatusView {
  value: RunStatus;
  label: string;
  tone: Tone;
  /** Not ok: the page opens with a banner saying so. */
  banner: boolean;
  error: ErrorRecord | null;
}

export interface PlotView {
  id: string;
  title: string;
  svg: string;
}

export interface SaturationView {
  target: string;
  reason: string;
  chosen: string;
  rows: Array<{ chosen: boolean; connections: string; pipelining: string; threads: string; rps: string; workerCpu: string; loaderCpu: string; p99: string; errors: string }>;
}

export interface ThresholdsView {
  outcome: string;
  tone: Tone;
  rows: Array<{ mark: string; tone: Tone; metric: string; rule: string; reason: string }>;
}

export interface LoadersView {
  /** How far apart the loaders started (warm-up and window). */
  skew: string;
  /** Loaders at their CPU limit, when any; else empty. */
  note: string;
  rows: Array<{ host: string; hostname: string; connections: string; requests: string; share: string; rps: string; cpu: string; busy: boolean }>;
}

export interface TopFrameRow {
  rank: number;
  name: string;
  kind: FrameKind;
  self: string;
  selfPct: string;
  /** Bar width 0..100 for the self column. */
  selfBar: string;
  total: string;
  totalPct: string;
}

export interface FlameView {
  /** Our flame-graph renderer's SVG (escapes its own input). */
  svg: string | null;
  notice: string | null;
}

export interface ProbeView {
  anchor: string;
  id: string;
  kind: string;
  status: string;
  tone: Tone;
  unit: string;
  unitKnown: boolean;
  facts: Fact[];
  /** Bookkeeping (pids, meta keys such as reachWorkerCyclePct or flaggedCallbacks): shown collapsed. */
  details: Fact[];
  error: ErrorRecord | null;
  warnings: string[];
  flame: FlameView | null;
  topFrames: TopFrameRow[];
  topFramesNote: string;
  /** stacks/<id>.folded relative to the report, for the "open elsewhere" line; null when there is none. */
  foldedFile: string | null;
}

export interface ReportModel {
  title: string;
  generator: string;
  runId: string;
  status: StatusView;
  scenario: { name: string; description: string; variant: string | null; repeat: string | null; source: string };
  headline: Fact[];
  summary: Fact[];
  latency: Fact[];
  errors: Fact[];
  statusCodes: Array<{ code: string; count: string; share: string; tone: Tone }>;
  cpu: Fact[];
  alerts: Alert[];
  saturation: SaturationView | null;
  loaders: LoadersView | null;
  thresholds: ThresholdsView | null;
  plots: PlotView[];
  plotNotices: string[];
  /** In display order (the most telling graph first). */
  probes: ProbeView[];
  /** Why the first probe is first; empty when the order is the scenario's. */
  probeOrderNote: string;
  /** "Where the time goes": the top self frames of each probe. */
  whereTime: WhereTimeRow[];
  environment: Fact[];
  nginxVersion: string | null;
  nginxConf: string | null;
  errorLog: { text: string; note: string } | null;
  scenarioText: string;
}
