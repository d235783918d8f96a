import { FlamebenchError } from '../errors.js';
import type { LoadResult } from '../runs/types.js';

/**
 * A measured window in which no request completed has nothing to report on: its rps is 0, its
 * latency is empty, and a comparison would call it −100%. Such a run fails with its own exit code
 * (5), and the hint names what the counters say happened.
 */
export function emptyWindowError(r: LoadResult): FlamebenchError | null {
  if (r.requests > 0) return null;
  const closed = r.closedWithoutResponse ?? 0;
  const seen = `${r.connectionErrors} connection errors, ${closed} connections closed without a response, ${r.timeouts} timeouts`;
  const hint =
    closed > 0
      ? 'nginx closed the connections without answering (return 444 / ngx.exit(444), a crashed worker, a parse error): see nginx/error.log in the run directory.'
      : r.timeouts > 0
        ? 'every request took longer than load.timeout: raise load.timeout, or see why the handler does not answer (nginx/error.log).'
        : r.connectionErrors > 0
          ? 'the loader could not connect to nginx: see nginx/error.log and the loader messages above.'
          : 'no request completed within the window: make load.duration longer than one request takes.';
  return new FlamebenchError('E_NO_MEASUREMENT',
    `the measured window (${(r.durationMs / 1000).toFixed(1)} s) completed no request: ${seen}`,
    hint,
  );
}
