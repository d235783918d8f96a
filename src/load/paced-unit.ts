import net from 'node:net';
import { ResponseParser } from './http-response-parser.js';
import type { IntervalSnapshot, PacedUnitConfig } from './protocol.js';
import { Recorder } from './latency-recorder.js';
import { buildRequestBuffer } from './request-bytes.js';
import type { LoadUnit } from './unit.js';

/**
 * Constant-rate sender. autocannon's rate limit is a per-connection token bucket refilled once a
 * second (bursts at each second's start) and its coordinated-omission correction assumes a 1 ms
 * interval; undici would hide which request waited where. So this is a small keep-alive
 * HTTP/1.1 client over `net`: request n of the common schedule is *intended* at
 * epoch + n/rate; it is written on a free connection as soon as one exists, and its latency is
 * measured from the intended time. When the server stalls, requests queue here and their wait
 * shows in the percentiles (as wrk2 does). The service time (from the actual write) is kept apart.
 */

const nowUs = (): number => Number(process.hrtime.bigint()) / 1000;
const RECONNECT_DELAY_MS = 10;
/**
 * Timers fire up to ~1 ms late, and that lateness would count as latency (it is measured from the
 * intended time). So the timer wakes this much early and the last stretch polls with setImmediate.
 */
const SPIN_MS = 1.5;

interface Pending {
  intendedUs: number;
  buf: Buffer;
  head: boolean;
}

interface Conn {
  socket: net.Socket | null;
  parser: ResponseParser;
  inflight: (Pending & { sentUs: number }) | null;
  timer: NodeJS.Timeout | null;
  ready: boolean;
}

export function startPacedUnit(cfg: PacedUnitConfig): LoadUnit {
  const rec = new Recorder(true);
  const bufs = cfg.requests.map((r) => ({ buf: buildRequestBuffer(r, cfg.hostHeader), head: r.method.toUpperCase() === 'HEAD' }));
  const intervalUs = 1e6 / cfg.rate;
  const queue: Pending[] = [];
  let queueHead = 0;
  const idle: Conn[] = [];
  const conns: Conn[] = [];
  let seq = cfg.index;
  /** Intended time of request 0; the schedule starts with begin(). */
  let epochUs = Number.POSITIVE_INFINITY;
  let sent = 0;
  let stopped = false;
  let pumpTimer: NodeJS.Timeout | null = null;
  let pumpSpin: NodeJS.Immediate | null = null;

  const nextIntended = (): number => epochUs + seq * intervalUs;

  function connect(c: Conn): void {
    if (stopped) return;
    c.ready = false;
    c.parser.reset();
    const socket = net.connect({ host: cfg.host, port: cfg.port, noDelay: true });
    c.socket = socket;
    socket.on('connect', () => {
      if (c.socket !== socket) return;
      c.ready = true;
      idle.push(c);
      pump();
    });
    socket.on('data', (chunk: Buffer) => {
      if (c.socket !== socket) return;
      try {
        c.parser.execute(chunk);
      } catch {
        fail(c, socket, 'error');
      }
    });
    socket.on('end', () => {
      if (c.socket !== socket) return;
      c.parser.finish();
      // With a request unanswered and no Connection: close announced, the server dropped it.
      fail(c, socket, c.inflight ? 'closed' : 'quiet');
    });
    socket.on('error', () => {
      if (c.socket !== socket) return;
      fail(c, socket, 'error');
    });
  }

  /** The connection is unusable: count the request it carried, and open a new one. */
  function fail(c: Conn, socket: net.Socket, kind: 'error' | 'closed' | 'timeout' | 'quiet'): void {
    if (c.socket !== socket) return;
    if (kind === 'timeout') rec.timeout();
    else if (kind === 'closed') rec.closedWithoutResponse();
    else if (kind === 'error' && (c.inflight || !c.ready)) rec.connectionError();
    retire(c);
    if (!stopped) setTimeout(() => connect(c), kind === 'quiet' ? 0 : RECONNECT_DELAY_MS).unref();
  }

  function retire(c: Conn): void {
    if (c.timer) clearTimeout(c.timer);
    c.timer = null;
    c.inflight = null;
    const i = idle.indexOf(c);
    if (i >= 0) idle.splice(i, 1);
    c.ready = false;
    c.socket?.destroy();
    c.socket = null;
  }

  function onResponse(c: Conn, status: number, bytes: number, keepAlive: boolean): void {
    const req = c.inflight;
    if (!req) return;
    const t = nowUs();
    rec.response(status, bytes, t - req.intendedUs, t - req.sentUs);
    if (c.timer) clearTimeout(c.timer);
    c.timer = null;
    c.inflight = null;
    if (!keepAlive) {
      retire(c);
      connect(c);
      return;
    }
    idle.push(c);
    pump();
  }

  function send(c: Conn, p: Pending): void {
    const socket = c.socket as net.Socket;
    c.inflight = { ...p, sentUs: nowUs() };
    c.timer = setTimeout(() => fail(c, socket, 'timeout'), cfg.timeoutSec * 1000);
    socket.write(p.buf);
  }

  function pump(): void {
    if (stopped || epochUs === Number.POSITIVE_INFINITY) return;
    const now = nowUs();
    while (nextIntended() <= now) {
      const r = bufs[sent++ % bufs.length]!;
      queue.push({ intendedUs: nextIntended(), buf: r.buf, head: r.head });
      seq += cfg.stride;
    }
    while (queueHead < queue.length && idle.length > 0) {
      send(idle.pop()!, queue[queueHead++]!);
    }
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead);
      queueHead = 0;
    }
    if (!pumpTimer && !pumpSpin) {
      const waitMs = (nextIntended() - nowUs()) / 1000;
      if (waitMs > SPIN_MS) {
        pumpTimer = setTimeout(() => {
          pumpTimer = null;
          pump();
        }, waitMs - SPIN_MS);
      } else {
        pumpSpin = setImmediate(() => {
          pumpSpin = null;
          pump();
        });
      }
    }
  }

  for (let i = 0; i < cfg.connections; i++) {
    const c: Conn = { socket: null, parser: null as unknown as ResponseParser, inflight: null, timer: null, ready: false };
    c.parser = new ResponseParser(
      (status, bytes, keepAlive) => onResponse(c, status, bytes, keepAlive),
      () => c.inflight?.head === true,
    );
    conns.push(c);
    connect(c);
  }

  return {
    ready: Promise.resolve(),
    begin: (at: number) => {
      epochUs = at;
      pump();
    },
    tick: async (): Promise<IntervalSnapshot> => rec.snapshot(),
    stop: async (): Promise<IntervalSnapshot> => {
      stopped = true;
      if (pumpTimer) clearTimeout(pumpTimer);
      if (pumpSpin) clearImmediate(pumpSpin);
      pumpTimer = null;
      pumpSpin = null;
      const snap = rec.snapshot();
      for (const c of conns) retire(c);
      return snap;
    },
  };
}
