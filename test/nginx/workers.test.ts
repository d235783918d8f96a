/**
 * The worker tracker over several spans (saturate mode measures each tuning step, then the run
 * its measured window). Stand-ins for nginx: a shell "master" whose children are named
 * "nginx: worker process" as nginx names its workers, each burning CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { trackWorkers } from '../../src/nginx/index.js';
import { childPids } from '../../src/util/proc.js';

let master: ChildProcess | null = null;
afterEach(() => {
  if (master?.pid) process.kill(-master.pid, 'SIGKILL');
  master = null;
});

/** A master with two busy workers; resolves with their pids once both exist. */
async function fakeNginx(): Promise<{ masterPid: number; workers: number[] }> {
  const worker = `(exec -a "nginx: worker process" sh -c 'while :; do :; done') &`;
  master = spawn('bash', ['-c', `${worker} ${worker} wait`], { detached: true, stdio: 'ignore' });
  const masterPid = master.pid!;
  for (let i = 0; i < 100; i++) {
    const kids = childPids(masterPid);
    if (kids.length === 2) return { masterPid, workers: kids };
    await sleep(20);
  }
  throw new Error('fake workers did not start');
}

describe('trackWorkers over several spans', () => {
  it('a tuning step is not the measured window, and a worker gone before the window does not count in it', async () => {
    const { masterPid, workers } = await fakeNginx();
    const tracker = trackWorkers(masterPid, workers);
    try {
      // a saturate step: two busy workers for 0.3 s (the machine is shared: at least some of it)
      const step = tracker.cpuFromNow();
      await sleep(300);
      const stepUs = step();
      expect(stepUs).toBeGreaterThan(20_000);
      process.kill(workers[0]!, 'SIGKILL');
      // the tracker polls every 100 ms; the shell reaps its child meanwhile
      await sleep(400);
      expect(tracker.pids()).toEqual([workers[1]]);
      // the step still counts the dead worker up to its last reading
      expect(step()).toBeGreaterThan(stepUs);
      // its death came before the measured window
      expect(tracker.warnings()).toEqual([expect.stringContaining(`nginx worker ${workers[0]} exited outside the measured window`)]);
      tracker.startWindow();
      await sleep(200);
      const windowUs = tracker.windowCpuUs();
      // one busy worker for 0.2 s: at most 0.2 s of CPU (plus polling slack); the dead worker's
      // CPU before the window must not be carried into it
      expect(windowUs).toBeLessThan(260_000);
      expect(windowUs).toBeGreaterThan(0);
      expect(tracker.events().find((e) => e.kind === 'exited')?.pid).toBe(workers[0]);
    } finally {
      tracker.stop();
    }
  });
});
