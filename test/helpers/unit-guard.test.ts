/** The quick suite's guard, in a fresh node process (it patches node:child_process for good). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function withGuard(script: string): string {
  const code = `await import('./test/helpers/unit-guard.ts');\n${script}`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
}

describe('unit-guard', () => {
  it('stops a test from starting nginx or perf, by ESM import or promisified, naming the list to add it to', () => {
    const out = withGuard(`
      import { spawn, spawnSync, execFile } from 'node:child_process';
      import { promisify } from 'node:util';
      for (const f of [() => spawnSync('/usr/sbin/nginx', ['-v']), () => spawn('perf', ['version'])]) {
        try { f(); console.log('ran'); } catch (e) { console.log(e.message); }
      }
      await promisify(execFile)('bpftrace', ['--version']).then(() => console.log('ran'), (e) => console.log(e.message));
    `);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^spawnSync\(nginx\) in the unit suite: .*INTEGRATION_FILES in vitest\.unit\.config\.ts/);
    expect(lines[1]).toMatch(/^spawn\(perf\) in the unit suite/);
    expect(lines[2]).toMatch(/^execFile\(bpftrace\) in the unit suite/);
  });

  it('lets other processes run, and promisify(execFile) still resolves to { stdout, stderr }', () => {
    const out = withGuard(`
      import { execFile } from 'node:child_process';
      import { promisify } from 'node:util';
      const r = await promisify(execFile)(process.execPath, ['-e', 'console.log(6 * 7)']);
      console.log(JSON.stringify({ stdout: r.stdout, stderr: r.stderr }));
    `);
    expect(JSON.parse(out)).toEqual({ stdout: '42\n', stderr: '' });
  });
});
