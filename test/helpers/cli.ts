import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The CLI from source (tsx), so tests never depend on a stale dist/. */
export function cliArgs(args: string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), ...args]];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(
  args: string[],
  opts: { input?: string; cwd?: string; detached?: boolean; prefix?: string[]; env?: Record<string, string> } = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  // prefix: a whole command line instead of the CLI (e.g. the CLI behind `ip netns exec <ns>`).
  const [cmd, argv] = opts.prefix ? [opts.prefix[0] as string, opts.prefix.slice(1)] : cliArgs(args);
  const child = spawn(cmd, argv, { cwd: opts.cwd ?? repoRoot, stdio: ['pipe', 'pipe', 'pipe'], detached: opts.detached ?? false, env: { ...process.env, FORCE_COLOR: '0', ...opts.env } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  else child.stdin?.end();
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return spawnCli(args, opts).done;
}
