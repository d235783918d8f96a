import { readFileSync } from 'node:fs';
import { environmentError, invalidInput, type FlamebenchError } from '../errors.js';
import type { LoadSpec } from '../scenario/types.js';

/**
 * How many connections this machine and this nginx can hold, checked before the load starts.
 * Beyond them connect() fails (EMFILE in the loader, EADDRNOTAVAIL for local ports) or nginx
 * refuses ("worker_connections are not enough"), and the loader retries every connection in a
 * loop: with `connections: 100000` it grew to 4 GB and never reached the window.
 */
export interface ConnectionCapacity {
  /** Descriptors the loader may open: RLIMIT_NOFILE (Node raises its soft limit to the hard one at start). */
  loaderOpenFiles: number | null;
  /** Local ports for connections to one address: net.ipv4.ip_local_port_range. */
  localPorts: number | null;
  /** nginx's workers and the connections each may hold (worker_connections, capped by worker_rlimit_nofile). */
  nginx: { workers: number; workerConnections: number; source: string } | null;
}

/** Descriptors the loader needs besides its sockets: Node itself, its IPC channel, each loader thread's loop. */
export const LOADER_FD_RESERVE = 64;
const LOADER_FD_PER_THREAD = 16;

/** The connections a load spec may open at most: saturate mode may raise them up to saturate.maxConnections. */
export function peakConnections(load: LoadSpec): number {
  const threads = Math.max(1, load.threads);
  const planned = load.mode === 'saturate' ? Math.max(load.connections, load.saturate.maxConnections) : load.connections;
  // plan.ts gives every loader thread at least one connection.
  return Math.max(planned, threads);
}

export function checkConnectionCapacity(load: LoadSpec, cap: ConnectionCapacity): FlamebenchError | null {
  const want = peakConnections(load);
  const what = load.mode === 'saturate' && want > load.connections ? `up to ${want} connections (saturate.maxConnections)` : `${want} connections`;
  if (cap.nginx) {
    // Each worker holds its listening socket in one of its connection slots.
    const room = cap.nginx.workers * Math.max(0, cap.nginx.workerConnections - 1);
    if (want > room) {
      return invalidInput(
        'E_LOAD_CONNECTIONS',
        `load asks for ${what}, but nginx can hold ${room}: ${cap.nginx.workers} worker(s) × ${cap.nginx.workerConnections} ${cap.nginx.source}`,
        `Lower load.connections${load.mode === 'saturate' ? ' / load.saturate.maxConnections' : ''}, or raise openresty.eventsDirectives: "worker_connections N;" ` +
          '(a proxy needs a second connection per request for its upstream).',
      );
    }
  }
  const threads = Math.max(1, load.threads);
  if (cap.loaderOpenFiles !== null) {
    const room = cap.loaderOpenFiles - LOADER_FD_RESERVE - LOADER_FD_PER_THREAD * threads;
    if (want > room) {
      return environmentError(
        'E_LOAD_OPEN_FILES',
        `load asks for ${what}, but the loader may open ${cap.loaderOpenFiles} files (RLIMIT_NOFILE), room for about ${Math.max(0, room)} sockets`,
        `Raise the limit before starting flamebench (ulimit -n ${want + LOADER_FD_RESERVE + LOADER_FD_PER_THREAD * threads}, or LimitNOFILE= for a service), or lower load.connections.`,
      );
    }
  }
  if (cap.localPorts !== null && want > cap.localPorts) {
    return environmentError(
      'E_LOAD_LOCAL_PORTS',
      `load asks for ${what} to one address, but only ${cap.localPorts} local ports exist (net.ipv4.ip_local_port_range)`,
      'Widen the range (sysctl -w net.ipv4.ip_local_port_range="1024 65535") or lower load.connections.',
    );
  }
  return null;
}

/** The capacity of this machine, and of the nginx whose rendered config and workers are given. */
export function readConnectionCapacity(nginxConf: string | null, workers: number): ConnectionCapacity {
  return { loaderOpenFiles: readOpenFilesLimit(), localPorts: readLocalPorts(), nginx: nginxConf === null ? null : nginxCapacity(nginxConf, workers) };
}

/**
 * worker_connections from a rendered nginx.conf, capped by worker_rlimit_nofile (a worker cannot
 * hold more connections than descriptors). nginx's own default is 512 when the directive is absent.
 */
export function nginxCapacity(conf: string, workers: number): ConnectionCapacity['nginx'] {
  const text = conf.replace(/#[^\n]*/g, '');
  const wc = /(?:^|[;{}\s])worker_connections\s+(\d+)\s*;/.exec(text);
  const nofile = /(?:^|[;{}\s])worker_rlimit_nofile\s+(\d+)\s*;/.exec(text);
  const workerConnections = wc?.[1] !== undefined ? Number(wc[1]) : 512;
  const fdCap = nofile?.[1] !== undefined ? Number(nofile[1]) : Number.POSITIVE_INFINITY;
  if (workers <= 0) return null;
  return fdCap < workerConnections
    ? { workers, workerConnections: fdCap, source: `descriptors (worker_rlimit_nofile ${fdCap} < worker_connections ${workerConnections})` }
    : { workers, workerConnections, source: `worker_connections${wc ? '' : ' (nginx default)'}` };
}

function readOpenFilesLimit(): number | null {
  try {
    const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    const hard = m?.[2];
    if (!hard || hard === 'unlimited') return null;
    return Number(hard);
  } catch {
    return null;
  }
}

function readLocalPorts(): number | null {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return lo !== undefined && hi !== undefined && hi >= lo ? hi - lo + 1 : null;
  } catch {
    return null;
  }
}
