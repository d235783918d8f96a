import { Worker } from 'node:worker_threads';
import { siblingModule } from './module-path.js';
import { emptySnapshot, type IntervalSnapshot, type UnitConfig, type UnitReply, type UnitRequest } from './protocol.js';
import type { LoadUnit } from './unit.js';

/** A load unit in its own worker thread (see unit-worker.ts), driven by tick/stop messages. */
export function startThreadUnit(cfg: UnitConfig, onError: (message: string) => void): LoadUnit {
  const worker = spawnUnitWorker(cfg);
  const waiting = new Map<number, (s: IntervalSnapshot) => void>();
  let nextId = 1;
  let gone = false;
  const emptyAll = (): void => {
    for (const resolve of waiting.values()) resolve(emptyLike());
    waiting.clear();
  };
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  worker.on('message', (m: UnitReply) => {
    if (m.type === 'ready') markReady();
    else if (m.type === 'error') {
      onError(m.message);
      markReady();
    } else {
      waiting.get(m.id)?.(m.snap);
      waiting.delete(m.id);
    }
  });
  worker.on('error', (e) => onError(`loader thread failed: ${e.message}`));
  worker.on('exit', () => {
    gone = true;
    markReady();
    emptyAll();
  });
  const ask = (type: 'tick' | 'stop'): Promise<IntervalSnapshot> => {
    if (gone) return Promise.resolve(emptyLike());
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ type, id } satisfies UnitRequest);
    });
  };
  return {
    ready,
    begin: (epochUs: number) => {
      if (!gone) worker.postMessage({ type: 'begin', epochUs } satisfies UnitRequest);
    },
    tick: () => ask('tick'),
    stop: async () => {
      const snap = await ask('stop');
      // The thread closes its port after answering; terminate if it lingers.
      setTimeout(() => void worker.terminate(), 1000).unref();
      return snap;
    },
  };
}

/**
 * From dist/ the worker runs the .js entry. From src/ (vitest, tsx) `--import tsx` in a worker's
 * execArgv does not reach the worker's module loader on Node 20, so a tiny eval'd bootstrap
 * registers tsx inside the thread first and then imports the .ts entry.
 */
function spawnUnitWorker(cfg: UnitConfig): Worker {
  const entry = siblingModule(import.meta.url, 'unit-worker');
  if (entry.execArgv.length === 0) return new Worker(entry.url, { workerData: cfg });
  const tsxApi = new URL('./esm/api/index.mjs', entry.execArgv[1]).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.url.href)}); });`;
  return new Worker(code, { eval: true, workerData: cfg });
}

function emptyLike(): IntervalSnapshot {
  return emptySnapshot();
}
