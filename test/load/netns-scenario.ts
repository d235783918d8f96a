/**
 * The scenario the distributed-load tests and bench run: "hello" from one nginx worker on CPU 0,
 * loaded at the server namespace's bridge address (not loopback, hence allowNonLoopback).
 */
export interface NetnsHelloLoad {
  connections: number;
  pipelining: number;
  duration: string;
  warmup: string;
  /** YAML lines that go under `load:` after the common keys (hosts, cpus, …), each ending in "\n". */
  more: string;
}

export function netnsHelloScenario(name: string, serverAddress: string, load: NetnsHelloLoad): string {
  return `name: ${name}
openresty:
  workers: 1
  cpus: [0]
  config: |
    server { listen {{listen}}; location / { return 200 "hello\\n"; } }
load:
  host: ${serverAddress}
  allowNonLoopback: true
  connections: ${load.connections}
  pipelining: ${load.pipelining}
  duration: ${load.duration}
  warmup: ${load.warmup}
${load.more}probes: []
`;
}
