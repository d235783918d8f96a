import { describe, expect, it } from 'vitest';
import { spawnRecorder } from '../../src/probes/recorder-process.js';

/**
 * stopWhileWorking: a recorder that keeps using CPU after SIGINT (bpftrace printing a big map on
 * a busy machine) is waited for past the idle limit; one that does nothing is killed at it.
 * Real processes: a shell that traps SIGINT.
 */
const READY = 'ready';

async function shell(onInt: string) {
  return spawnRecorder('bash', ['-c', `trap '${onInt}' INT; echo ${READY}; while :; do sleep 0.05; done`], {
    label: 'test recorder',
    readyText: READY,
  });
}

describe('recorder stopWhileWorking (real processes)', () => {
  it('waits past the idle limit while the recorder burns CPU after SIGINT, and gets its own exit', async () => {
    // 2–3 s of busy work after SIGINT (bash counts whole seconds), then exit 0: past the 1.5 s
    // idle limit, which a starved machine still leaves it CPU within.
    const rec = await shell('end=$((SECONDS+3)); while [ $SECONDS -lt $end ]; do :; done; exit 0');
    const t0 = Date.now();
    const r = await rec.stopWhileWorking(1_500, 20_000);
    expect(r.killed).toBeNull();
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(1_900);
  }, 30_000);

  it('kills a recorder that uses no CPU for the idle limit, and says its state', async () => {
    const rec = await spawnRecorder('bash', ['-c', `trap '' INT; echo ${READY}; exec sleep 60`], { label: 'test recorder', readyText: READY });
    const t0 = Date.now();
    const r = await rec.stopWhileWorking(500, 20_000);
    expect(r.signal).toBe('SIGKILL');
    expect(r.killed?.reason).toBe('idle');
    expect(r.killed?.state).toMatch(/^state S, wchan \S+, \d+\.\d\d s CPU$/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(rec.exited()).toBe(true);
  }, 30_000);

  it('sends SIGINT again while the recorder sits idle after the first (bpftrace 0.17 can miss one), and gets its exit', async () => {
    // Exits on the second SIGINT only, like bpftrace that got the first outside epoll_wait.
    const rec = await spawnRecorder(
      'bash',
      ['-c', `trap 'n=$((n+1)); [ $n -ge 2 ] && { kill $s; exit 0; }' INT; sleep 60 & s=$!; echo ${READY}; while :; do wait $s; done`],
      { label: 'test recorder', readyText: READY },
    );
    const r = await rec.stopWhileWorking(10_000, 20_000);
    expect(r.killed).toBeNull();
    expect(r.code).toBe(0);
    expect(r.resentSigint).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('kills one still working at the overall limit', async () => {
    const rec = await shell('while :; do :; done');
    const r = await rec.stopWhileWorking(5_000, 1_000);
    expect(r.killed?.reason).toBe('max');
    expect(r.killed?.waitedMs).toBeGreaterThanOrEqual(1_000);
  }, 30_000);
});
