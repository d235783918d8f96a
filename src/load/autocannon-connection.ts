import net from 'node:net';
import { createRequire } from 'node:module';

/**
 * Takes over the connection lifecycle of one autocannon Client (lib/httpClient.js, 9.x), because
 * autocannon's own gets three things wrong whenever the server closes a connection — which nginx
 * does after every `keepalive_requests` (default 1000) requests, and after every response with
 * `keepalive_timeout 0`:
 *
 * 1. On the socket's 'end' it calls `_connect()` without clearing `pipelinedRequests`. The
 *    requests that were in flight on the dead connection stay at the head of the FIFO, each new
 *    response is matched to a stale entry, and its latency is measured from that stale request's
 *    send time. Every close adds more stale entries, so latency grows through the run
 *    (hello.yaml: 45 ms mean where Little's law says 5.7 ms; Connection: close: p50 of seconds).
 * 2. After a response that says `Connection: close` it writes the next request on that closing
 *    socket. That request is lost, and the peer's RST becomes a 'connError' (bogus errors).
 * 3. The old socket keeps its 'error' listener after 'end', so an error after the end opens a
 *    second connection and orphans the first, whose 'data' still feeds the same parser.
 *
 * Here: a response without keep-alive ends the connection at once (the requests pipelined
 * behind it are discarded: the server announced it would not answer them, RFC 9112 §9.3.2) and
 * a fresh connection starts with a clean queue and parser; a socket that ends while requests are
 * still unanswered, without having announced it, is reported as closed without response; events
 * of a socket that is no longer the client's current one are ignored.
 */

type Slot = (arg?: unknown) => unknown;

/** Pause before reconnecting after a socket error (the paced sender waits as long). */
const RECONNECT_DELAY_MS = 10;

/** The parts of autocannon's Client (9.x) this module reads and replaces. */
export interface AutocannonClientInternals {
  opts: { hostname?: string; port?: number | string; pipelining: number };
  secure: boolean;
  ipc: boolean;
  conn?: net.Socket;
  destroyed: boolean;
  parser: Record<number, Slot | undefined> & { execute(chunk: Buffer): unknown };
  pipelinedRequests: { size(): number; clear(): void; addByteCount(n: number): void };
  _connect(): void;
  _doRequest(): void;
  emit(event: string, ...args: unknown[]): boolean;
}

export interface ConnectionHooks {
  /** A connection ended or failed to parse while requests were unanswered, without the server announcing a close. */
  closedWithoutResponse(): void;
  /** Requests pipelined behind a response that announced the close: the server will not answer them. */
  discardedAtClose(count: number): void;
  /** A new connection starts: parser state of the old one must go. */
  resetParser(): void;
  /** The current socket ended: a read-until-close body is complete now. */
  finishParser(): void;
}

interface HttpParserConstants {
  kOnHeadersComplete: number;
  kOnMessageComplete: number;
}
const requireFromAutocannon = createRequire(createRequire(import.meta.url).resolve('autocannon'));
const { HTTPParser } = requireFromAutocannon('http-parser-js') as { HTTPParser: HttpParserConstants };

/** Call from autocannon's setupClient: before the Client's constructor opens its first connection. */
export function ownConnectionLifecycle(client: AutocannonClientInternals, hooks: ConnectionHooks): void {
  if (client.secure || client.ipc) throw new Error('flamebench drives plain HTTP over TCP only');
  const doRequest = client._doRequest;
  /** True while autocannon handles a response after which the server closes: write nothing then. */
  let closing = false;
  let slotsWrapped = false;
  let keepAlive = true;

  client._doRequest = function (this: AutocannonClientInternals): void {
    if (!closing) doRequest.call(this);
  };

  // The constructor assigns the parser slots after setupClient and before its first _connect().
  const wrapParserSlots = (): void => {
    const parser = client.parser;
    const onHeaders = parser[HTTPParser.kOnHeadersComplete];
    const onComplete = parser[HTTPParser.kOnMessageComplete];
    parser[HTTPParser.kOnHeadersComplete] = (info?: unknown) => {
      // http-parser-js and our fast parser both say whether the connection stays open.
      keepAlive = (info as { shouldKeepAlive?: boolean } | undefined)?.shouldKeepAlive !== false;
      return onHeaders?.(info);
    };
    parser[HTTPParser.kOnMessageComplete] = () => {
      if (keepAlive) return onComplete?.();
      closing = true;
      try {
        onComplete?.(); // records the response; its _doRequest is suppressed
      } finally {
        closing = false;
      }
      const unanswered = client.pipelinedRequests.size();
      if (unanswered > 0) hooks.discardedAtClose(unanswered);
      if (!client.destroyed) client._connect();
      return undefined;
    };
  };

  client._connect = function (this: AutocannonClientInternals): void {
    if (!slotsWrapped) {
      wrapParserSlots();
      slotsWrapped = true;
    }
    retire(this.conn);
    this.pipelinedRequests.clear();
    hooks.resetParser();
    keepAlive = true;
    if (this.destroyed) return;
    const socket = net.connect(Number(this.opts.port ?? 80), this.opts.hostname);
    this.conn = socket;
    const current = (): boolean => this.conn === socket && !this.destroyed;
    socket.on('error', (error: Error) => {
      if (!current()) return;
      this.emit('connError', error);
      // Not at once: a connect that fails synchronously-fast (EMFILE, ECONNREFUSED) retried in a
      // tight loop starves the loader's timers and piles up error objects (1.7 GB in 75 s).
      setTimeout(() => {
        if (current()) this._connect();
      }, RECONNECT_DELAY_MS).unref();
    });
    socket.on('data', (chunk: Buffer) => {
      if (!current()) return;
      this.pipelinedRequests.addByteCount(chunk.length);
      try {
        this.parser.execute(chunk);
      } catch {
        // Not HTTP we can frame: this connection's answers are lost.
        if (!current()) return;
        hooks.closedWithoutResponse();
        this._connect();
      }
    });
    socket.on('end', () => {
      if (!current()) return;
      hooks.finishParser();
      if (!current()) return; // the finished response ended the connection itself
      if (this.pipelinedRequests.size() > 0) hooks.closedWithoutResponse();
      this._connect();
    });
    for (let i = 0; i < this.opts.pipelining; i++) this._doRequest();
  };
}

/** Detaches a socket the client no longer uses: its late events must not reach the client. */
function retire(socket: net.Socket | undefined): void {
  if (!socket) return;
  socket.removeAllListeners('data');
  socket.removeAllListeners('end');
  socket.removeAllListeners('error');
  socket.on('error', () => undefined);
  socket.destroy();
}
