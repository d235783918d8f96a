import { describe, expect, it } from 'vitest';
import { checkConnectionCapacity, nginxCapacity, peakConnections, type ConnectionCapacity } from '../../src/load/capacity.js';
import { ExitCode } from '../../src/errors.js';
import { loadSpec } from './spec.js';

const roomy: ConnectionCapacity = { loaderOpenFiles: 1_048_576, localPorts: 28_232, nginx: { workers: 1, workerConnections: 4096, source: 'worker_connections' } };

describe('connection capacity, checked before the load starts', () => {
  it('reads worker_connections and worker_rlimit_nofile from a rendered nginx.conf', () => {
    expect(nginxCapacity('worker_processes 2;\nevents {\n  worker_connections 4096;\n}\n', 2)).toEqual({ workers: 2, workerConnections: 4096, source: 'worker_connections' });
    expect(nginxCapacity('worker_rlimit_nofile 1000;\nevents { worker_connections 4096; }', 1)?.workerConnections).toBe(1000);
    // nginx's own default when the directive is absent; a comment does not count.
    expect(nginxCapacity('events {\n  # worker_connections 100000;\n}', 1)).toEqual({ workers: 1, workerConnections: 512, source: 'worker_connections (nginx default)' });
  });

  it('accepts what fits, and refuses more connections than nginx can hold (invalid input, exit 2)', () => {
    expect(checkConnectionCapacity(loadSpec({ connections: 4095 }), roomy)).toBeNull();
    const e = checkConnectionCapacity(loadSpec({ connections: 100_000 }), roomy);
    expect(e?.code).toBe('E_LOAD_CONNECTIONS');
    expect(e?.exitCode).toBe(ExitCode.invalidInput);
    expect(e?.message).toBe('load asks for 100000 connections, but nginx can hold 4095: 1 worker(s) × 4096 worker_connections');
    expect(e?.hint).toMatch(/worker_connections N/);
  });

  it("refuses more sockets than the loader's RLIMIT_NOFILE allows, or than local ports exist (environment, exit 3)", () => {
    const fd = checkConnectionCapacity(loadSpec({ connections: 1000 }), { ...roomy, loaderOpenFiles: 1024 });
    expect(fd?.code).toBe('E_LOAD_OPEN_FILES');
    expect(fd?.exitCode).toBe(ExitCode.environment);
    expect(fd?.hint).toMatch(/ulimit -n 1080/);
    expect(checkConnectionCapacity(loadSpec({ connections: 900 }), { ...roomy, loaderOpenFiles: 1024 })).toBeNull();
    const ports = checkConnectionCapacity(loadSpec({ connections: 30_000 }), { ...roomy, nginx: null });
    expect(ports?.code).toBe('E_LOAD_LOCAL_PORTS');
  });

  it('saturate mode is checked at the connections it may raise to', () => {
    const spec = loadSpec({ mode: 'saturate', connections: 64 });
    expect(peakConnections({ ...spec, saturate: { ...spec.saturate, maxConnections: 8192 } })).toBe(8192);
    const e = checkConnectionCapacity({ ...spec, saturate: { ...spec.saturate, maxConnections: 8192 } }, roomy);
    expect(e?.message).toMatch(/up to 8192 connections \(saturate.maxConnections\)/);
    expect(e?.hint).toMatch(/saturate.maxConnections/);
  });

  it('unknown limits are not checked', () => {
    expect(checkConnectionCapacity(loadSpec({ connections: 100_000 }), { loaderOpenFiles: null, localPorts: null, nginx: null })).toBeNull();
  });
});
