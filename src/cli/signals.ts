import { setTimeout as sleep } from 'node:timers/promises';
import { killAllNginxNow } from '../nginx/index.js';
import { runForcedStopHooks } from '../orchestrator/interrupt.js';
import { ExitCode } from '../errors.js';

/** SIGHUP (terminal closed, ssh dropped) is an interrupt like the others. */
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Bound on the forced wind-up (run.json, then report.html): a second Ctrl-C means "now". */
const FORCED_WINDUP_MS = 3_000;

/**
 * First Ctrl-C, SIGTERM or SIGHUP: abort the run gracefully — the load stops, probes and nginx
 * are stopped and what was measured is written as partial. Second: kill nginx now, write a
 * truthful run.json (interrupted twice, what was and was not kept) and exit 130. Third: exit now.
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
    if (count === 2) {
      if (!quiet) process.stderr.write(`\n${name} again: stopping at once\n`);
      killAllNginxNow();
      void Promise.race([runForcedStopHooks(), sleep(FORCED_WINDUP_MS, undefined, { ref: false })]).finally(() => process.exit(ExitCode.interrupted));
      return;
    }
    process.exit(ExitCode.interrupted);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    dispose() {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}
