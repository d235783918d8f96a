import { stopAllTargets } from '../target/index.js';
import { ExitCode } from '../errors.js';

/**
 * First Ctrl-C (or SIGTERM): abort the run gracefully — the load stops, probes and nginx are
 * stopped and what was measured is written as partial. Second: stop nginx now and exit 130.
 */
export function installSignalHandlers(quiet: boolean): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (name: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      if (!quiet) process.stderr.write(`\n${name}: stopping, keeping what was measured (again to force)…\n`);
      controller.abort(new Error(name));
      return;
    }
    void stopAllTargets().finally(() => process.exit(ExitCode.interrupted));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
