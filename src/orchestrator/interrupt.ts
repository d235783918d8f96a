import { FlamebenchError } from '../errors.js';

export { interrupted } from '../errors.js';

export function forcedStop(): FlamebenchError {
  return new FlamebenchError('E_INTERRUPTED_FORCED',
    'interrupted twice: stopped at once, without waiting for the load, the probes or their post-processing',
    'interrupt once to keep what was measured; the recorders\' raw output (if any) is in raw/',
  );
}

/**
 * What each running run must still do when a second interrupt ends the process at once: write
 * a truthful run.json (synchronously first, since the process is about to exit). Registered by
 * runScenario for its lifetime; run by the CLI's signal handler.
 */
type ForcedStopHook = () => Promise<void>;
const hooks = new Set<ForcedStopHook>();

export function onForcedStop(hook: ForcedStopHook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export async function runForcedStopHooks(): Promise<void> {
  await Promise.allSettled([...hooks].map((h) => h()));
}
