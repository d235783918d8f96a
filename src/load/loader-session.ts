/**
 * The loader's work, whatever its channel: runs one RunPlan at a time — units up, 'units-ready',
 * wait for 'go', warm-up, the measured window on the coordinator's 'measure' — and streams interval
 * snapshots. The coordinator aggregates. Used by the forked local loader (loader-process.ts) and by
 * `flamebench loader` on any host (loader-stdio.ts).
 */
import { hostname } from 'node:os';
import { toolVersion } from '../util/version.js';
import type { LoaderEndpoint } from './loader-endpoint.js';
import { LOADER_PROTOCOL_VERSION, type IntervalSnapshot, type LoadPhase, type RunPlan } from './protocol.js';
import { startUnit } from './start-unit.js';
import { startThreadUnit } from './thread-unit.js';
import type { LoadUnit } from './unit.js';

export function serveLoader(endpoint: LoaderEndpoint): void {
  const send = endpoint.send;
  /** Wakes the session's sleeps when a coordinator message arrives. */
  let wake: (() => void) | null = null;
  const inbox = { go: false, measure: false, finish: false, abort: false };

  function sleepUntil(atMs: number): Promise<void> {
    const ms = atMs - performance.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  const cpuUs = (): number => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };

  async function runSession(plan: RunPlan): Promise<void> {
    inbox.go = inbox.measure = inbox.finish = inbox.abort = false;
    const units: LoadUnit[] = plan.units.map((cfg) =>
      plan.threads ? startThreadUnit(cfg, (message) => send({ type: 'error', message })) : startUnit(cfg),
    );
    // Threads take a while to boot; paced units share one schedule that starts once all are up.
    await Promise.all(units.map((u) => u.ready));
    // Several loaders start together: the coordinator says 'go' once every one of them is here.
    send({ type: 'units-ready' });
    while (!inbox.abort && !inbox.go) await sleepUntil(performance.now() + 1000);
    const epochUs = Number(process.hrtime.bigint()) / 1000 + 5_000;
    for (const u of units) u.begin(epochUs);
    let last = performance.now();
    let second = 0;
    const tick = async (phase: LoadPhase): Promise<void> => {
      const snaps: IntervalSnapshot[] = await Promise.all(units.map((u) => u.tick()));
      const now = performance.now();
      send({ type: 'tick', phase, second: ++second, intervalMs: now - last, snaps, cpuUs: cpuUs() });
      last = now;
    };

    // Warm-up: load runs, seconds are reported for progress only.
    const warmStart = performance.now();
    const warmEnd = warmStart + plan.warmupSec * 1000;
    while (!inbox.abort && performance.now() < warmEnd) {
      await sleepUntil(Math.min(last + 1000, warmEnd));
      if (!inbox.abort) await tick('warmup');
    }
    send({ type: 'warmup-done' });
    // The coordinator starts the probes now; the load keeps running until it says 'measure'.
    while (!inbox.abort && !inbox.measure) {
      await sleepUntil(last + 1000);
      if (!inbox.abort && !inbox.measure) await tick('warmup');
    }

    if (!inbox.abort) {
      await tick('warmup'); // flush what the warm-up counted since its last second
      second = 0;
      send({ type: 'measure-started' });
      const start = performance.now();
      const end = start + plan.durationSec * 1000;
      const endingAt = end - plan.endingLeadSec * 1000;
      let ending = false;
      let slept = start;
      while (!inbox.abort && slept < end) {
        const next = Math.min(start + (second + 1) * 1000, end);
        // Timers may fire a fraction of a ms early: act on what we slept for, not on the clock.
        const endingFirst = !ending && endingAt < next;
        slept = endingFirst ? endingAt : next;
        await sleepUntil(slept);
        if (inbox.abort) break;
        if (endingFirst) {
          ending = true;
          send({ type: 'ending' });
          continue;
        }
        await tick('measure');
      }
      if (inbox.abort) await tick('measure'); // the partial second until the abort
      send({ type: 'window-done' });
      // The load keeps running past the window until the coordinator's probes have stopped.
      while (!inbox.abort && !inbox.finish) await sleepUntil(performance.now() + 50);
    }
    await Promise.all(units.map((u) => u.stop()));
    send({ type: 'stopped' });
  }

  endpoint.onMessage((m) => {
    switch (m.type) {
      case 'run':
        runSession(m.plan).catch((e: unknown) => {
          send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
          send({ type: 'stopped' });
        });
        return;
      case 'finish':
        inbox.finish = true; // polled: waking would cut a measured second short
        return;
      case 'go':
      case 'measure':
      case 'abort':
        inbox[m.type] = true;
        wake?.();
        return;
      case 'exit':
        process.exit(0);
    }
  });
  // The coordinator is gone (crashed, killed, channel lost): never outlive it.
  endpoint.onClose(() => process.exit());
  // Ctrl-C reaches the whole process group; the coordinator decides: it sends 'abort' so the
  // partial window is reported, and kills us if we do not answer. Dying here would lose the window.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  send({ type: 'ready', protocol: LOADER_PROTOCOL_VERSION, version: toolVersion(), hostname: hostname() });
}
