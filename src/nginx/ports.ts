import net from 'node:net';
import { environmentError } from '../errors.js';

/** A port the kernel says is free right now on `host` (another process may still take it before nginx binds). */
export function pickFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host, port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Fails fast with E_PORT_BUSY / E_NOT_PERMITTED before nginx spends 2.5 s retrying bind().
 * Binds the wildcard address: it conflicts with a listener on any local address.
 */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', (e: NodeJS.ErrnoException) => reject(portError(port, e.code ?? '', e.message)));
    srv.listen({ host: '0.0.0.0', port, exclusive: true }, () => srv.close(() => resolve()));
  });
}

/**
 * `port` is the port that failed; `ours` the one flamebench gave the template as {{port}}. When
 * they differ, the template hard-codes its own listen port and the hint says so.
 */
export function portError(port: number, code: string, message: string, ours: number = port): Error {
  const own = port !== ours;
  if (code === 'EADDRINUSE') {
    return environmentError(
      'E_PORT_BUSY',
      `port ${port} is already in use${own ? ` (the config template listens on it itself; flamebench's {{port}} was ${ours})` : ''}`,
      own ? `free port ${port}, or write listen {{listen}} in the template so that flamebench picks a free port` : 'set openresty.port to a free port, or to 0 to let flamebench pick one',
      [message],
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return environmentError('E_NOT_PERMITTED', `not permitted to listen on port ${port}${own ? ' (the config template listens on it itself)' : ''}`, 'ports below 1024 need root or CAP_NET_BIND_SERVICE: use a higher port or 0', [message]);
  }
  return environmentError('E_PORT', `cannot listen on port ${port}: ${message}`, 'set openresty.port to 0 to let flamebench pick one');
}

/** One TCP connect attempt; true when something accepted it. */
export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}
