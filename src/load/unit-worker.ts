/**
 * Worker-thread entry: one load unit per thread, with its own µs histogram. autocannon's own
 * `workers` option keeps per-request events inside its threads and only ships its ms histogram,
 * so we run the threads ourselves and ship our interval snapshots (encoded histograms) instead;
 * the parent merges them with histogram.add.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { UnitConfig, UnitReply, UnitRequest } from './protocol.js';
import { startUnit } from './start-unit.js';

const port = parentPort;
if (!port) throw new Error('unit-worker must run in a worker thread');

const post = (m: UnitReply): void => port.postMessage(m);
try {
  const unit = startUnit(workerData as UnitConfig);
  port.on('message', (m: UnitRequest) => {
    if (m.type === 'begin') {
      unit.begin(m.epochUs);
      return;
    }
    const p = m.type === 'tick' ? unit.tick() : unit.stop();
    p.then(
      (snap) => {
        post({ type: 'snapshot', id: m.id, snap });
        if (m.type === 'stop') port.close();
      },
      (e: unknown) => post({ type: 'error', message: String(e) }),
    );
  });
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
