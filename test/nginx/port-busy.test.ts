import net from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { runPaths } from '../../src/runs/paths.js';
import { liveNginxCount, startNginx } from '../../src/nginx/index.js';
import { boundPort } from '../../src/nginx/start.js';
import { scenarioWith, tempRunDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a busy port (real nginx)', () => {
  it('names the port the template hard-codes, not the one flamebench picked, and does not retry in vain', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as net.AddressInfo).port;
    const dir = tempRunDir();
    dirs.push(dir);
    try {
      const scenario = scenarioWith({
        config: `server { listen {{listen}}; location / { return 200; } }\nserver { listen 127.0.0.1:${busy}; location / { return 204; } }`,
      });
      const started = Date.now();
      const err = await startNginx(scenario, runPaths(dir), { injections: [], nginxCpus: [] }).catch((e: unknown) => e);
      expect(isFlamebenchError(err) && err.code).toBe('E_PORT_BUSY');
      const e = err as Error & { hint: string };
      expect(e.message).toMatch(new RegExp(`^port ${busy} is already in use \\(the config template listens on it itself; flamebench's \\{\\{port\\}\\} was \\d+\\)$`));
      expect(e.hint).toMatch(/listen \{\{listen\}\}/);
      // nginx tries bind() for ~2.5 s; three attempts would take 3× that.
      expect(Date.now() - started).toBeLessThan(7_000);
      expect(liveNginxCount()).toBe(0);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 30_000);

  it('reads the port from nginx\'s bind() message', () => {
    expect(boundPort('2026/12/04 22:48:27 [emerg] 11550#11550: bind() to 127.0.0.1:8089 failed (98: Address already in use)')).toBe(8089);
    expect(boundPort('bind() to [::1]:9000 failed (98: Address already in use)')).toBe(9000);
    expect(boundPort('something else')).toBeNull();
  });
});
