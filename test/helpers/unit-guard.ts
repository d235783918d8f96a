/**
 * Setup file of `npm run test:unit` (vitest.unit.config.ts): the quick suite must not need root,
 * apt packages, nginx, perf or Chromium. A test file outside INTEGRATION_FILES that starts one
 * of those fails at once, saying so, so an integration test cannot slip into the quick suite
 * and make it slow or root-only. (`npm test` runs every file.) Only this process is guarded:
 * what a spawned CLI starts in turn (e.g. `perf script`) is out of its reach.
 */
import childProcess from 'node:child_process';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';

const SYSTEM_TOOLS = /^(nginx|openresty|perf|bpftrace|stap|chromium|chromium-browser|chrome|sudo|apt-get|taskset|wrk)$/;

function refusal(name: string, args: readonly unknown[]): Error | null {
  const cmd = typeof args[0] === 'string' ? args[0] : '';
  const tool = path.basename(cmd.split(' ')[0] ?? '');
  if (!SYSTEM_TOOLS.test(tool)) return null;
  return new Error(
    `${name}(${tool}) in the unit suite: this test starts a system tool (nginx, perf, Chromium, …); add its file to INTEGRATION_FILES in vitest.unit.config.ts so that only \`npm test\` runs it`,
  );
}

/** Throws for the callback and sync forms; rejects for the promisified one. */
function guard<F extends (...args: never[]) => unknown>(name: string, fn: F, promised = false): F {
  return function (this: unknown, ...args: Parameters<F>) {
    const e = refusal(name, args);
    if (e && promised) return Promise.reject(e);
    if (e) throw e;
    return fn.apply(this, args);
  } as F;
}

type Fn = ((...args: never[]) => unknown) & { [promisify.custom]?: (...args: never[]) => unknown };
const cp = childProcess as unknown as Record<string, Fn>;
for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync'] as const) {
  const original = cp[name]!;
  const guarded: Fn = guard(name, original);
  // promisify(execFile) resolves to { stdout, stderr } through this symbol: keep it, guarded too.
  const custom = original[promisify.custom];
  if (custom) guarded[promisify.custom] = guard(name, custom, true);
  cp[name] = guarded;
}
// `import { spawn } from 'node:child_process'` binds to the ESM view of the module: update it too.
syncBuiltinESMExports();
