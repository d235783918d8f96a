import autocannon from 'autocannon';
import { createRequire } from 'node:module';
import { ownConnectionLifecycle, type AutocannonClientInternals } from './autocannon-connection.js';
import { installFastParser, type AutocannonClientLike } from './fast-parser.js';
import type { AutocannonUnitConfig, IntervalSnapshot } from './protocol.js';
import { Recorder } from './latency-recorder.js';
import type { LoadUnit } from './unit.js';

/** The events of autocannon's per-connection Client (lib/httpClient.js) that we listen to. */
interface ClientEvents extends AutocannonClientLike {
  /** Per-request timeout in ms; read by the Client's timers, which start after setupClient. */
  timeout: number;
  on(event: 'response', fn: (status: number, bytes: number, durationMs: number) => void): void;
  on(event: 'timeout' | 'connError', fn: () => void): void;
  destroy(): void;
}

/** http-parser-js as autocannon uses it (FLAMEBENCH_HTTP_PARSER=autocannon). */
interface HttpParserLike {
  initialize(type: number): void;
  finish(): unknown;
}
const requireFromAutocannon = createRequire(createRequire(import.meta.url).resolve('autocannon'));
const { HTTPParser } = requireFromAutocannon('http-parser-js') as { HTTPParser: { RESPONSE: number } };

/** autocannon runs "forever" from its point of view; we stop it ourselves at the end of the run. */
const RUN_FOREVER_SEC = 24 * 3600;

/**
 * One autocannon instance. Latency comes from the Client's 'response' event: its duration is
 * float milliseconds from process.hrtime (lib/pipelinedRequestsQueue.js), taken from the moment
 * the request was written to the socket; we record it in µs in our own histogram. With
 * pipelining that is each request's own latency including the wait behind the requests ahead
 * of it on the same connection (head-of-line), as the client sees it. The connection lifecycle
 * (reconnects when the server closes) is ours: see autocannon-connection.ts for why.
 */
export function startAutocannonUnit(cfg: AutocannonUnitConfig): LoadUnit {
  const rec = new Recorder();
  const clients: ClientEvents[] = [];
  const setupClient = (c: unknown): void => {
    const client = c as ClientEvents;
    clients.push(client);
    // autocannon refuses timeouts under 1 s in its option check; the Client itself takes any.
    client.timeout = cfg.timeoutSec * 1000;
    const fast = cfg.fastParser ? installFastParser(client) : null;
    const slow = (): HttpParserLike => client.parser as HttpParserLike;
    ownConnectionLifecycle(c as AutocannonClientInternals, {
      closedWithoutResponse: () => rec.closedWithoutResponse(),
      discardedAtClose: (n) => rec.discardedAtClose(n),
      resetParser: () => (fast ? fast.reset() : slow().initialize(HTTPParser.RESPONSE)),
      finishParser: () => (fast ? fast.finish() : void slow().finish()),
    });
    client.on('response', (status, bytes, durationMs) => rec.response(status, bytes, durationMs * 1000));
    // One 'timeout' per pipelined request lost with the connection.
    client.on('timeout', () => rec.timeout());
    client.on('connError', () => rec.connectionError());
  };
  const refusal: { error: Error | null } = { error: null };
  const instance = autocannon(
    {
      url: cfg.url,
      connections: cfg.connections,
      pipelining: cfg.pipelining,
      timeout: Math.max(1, cfg.timeoutSec),
      duration: RUN_FOREVER_SEC,
      requests: cfg.requests.map((r) => ({
        method: r.method.toUpperCase() as autocannon.Request['method'],
        path: r.path,
        headers: r.headers,
        ...(r.body !== undefined ? { body: r.body } : {}),
      })),
      setupClient: setupClient as autocannon.Options['setupClient'],
    },
    (err: Error | null) => {
      // Called synchronously when autocannon refuses its options; it would otherwise never start.
      if (err) refusal.error = err;
    },
  );
  if (refusal.error) throw new Error(`autocannon refused the load options: ${refusal.error.message}`);
  // autocannon emits 'error' for bad options; without a listener it would throw asynchronously.
  instance.on('error', () => rec.connectionError());
  let stopped = false;
  return {
    ready: Promise.resolve(),
    begin: () => undefined,
    tick: async (): Promise<IntervalSnapshot> => rec.snapshot(),
    stop: async (): Promise<IntervalSnapshot> => {
      if (!stopped) {
        stopped = true;
        const snap = rec.snapshot();
        instance.stop();
        for (const c of clients) c.destroy();
        return snap;
      }
      return rec.snapshot();
    },
  };
}
