/**
 * Network namespaces for the distributed-load tests: one for nginx (and the coordinating
 * flamebench), one per loader, joined by veth pairs on a bridge inside the nginx namespace, in a
 * private 10.231.<k>.0/24 that exists only inside these namespaces. Names carry a random tag so
 * parallel runs and leftovers of a crashed run never collide; remove() kills only processes inside
 * these namespaces and deletes them.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Netns {
  /** The namespace nginx and the coordinator run in. */
  server: string;
  loaders: string[];
  /** nginx's address on the bridge. */
  serverAddress: string;
  /** Each loader namespace's address, in order. */
  loaderAddresses: string[];
  all(): string[];
  /** Pids of every process inside the namespaces. */
  pids(): number[];
  remove(): void;
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function existingNamespaces(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(Boolean);
}

export function createNetns(loaderCount: number): Netns {
  const tag = randomBytes(3).toString('hex');
  const subnet = `10.231.${randomBytes(1)[0]! % 250}`;
  const server = `fbd-${tag}-n`;
  const loaders = Array.from({ length: loaderCount }, (_, i) => `fbd-${tag}-l${i + 1}`);
  const ns: Netns = {
    server,
    loaders,
    serverAddress: `${subnet}.1`,
    loaderAddresses: loaders.map((_, i) => `${subnet}.${i + 2}`),
    all: () => [server, ...loaders],
    pids: () =>
      ns
        .all()
        .filter((n) => existingNamespaces().includes(n))
        .flatMap((n) => ip('netns', 'pids', n).split('\n').filter(Boolean).map(Number)),
    remove: () => {
      for (const pid of ns.pids()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      for (const n of ns.all()) {
        try {
          ip('netns', 'del', n);
        } catch {
          /* never created */
        }
      }
    },
  };
  try {
    for (const n of ns.all()) {
      ip('netns', 'add', n);
      ip('-n', n, 'link', 'set', 'lo', 'up');
    }
    ip('-n', server, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', server, 'addr', 'add', `${subnet}.1/24`, 'dev', 'br0');
    ip('-n', server, 'link', 'set', 'br0', 'up');
    loaders.forEach((l, i) => {
      // Created inside the server namespace, the peer moved into the loader's: no interface ever appears in the root namespace.
      ip('-n', server, 'link', 'add', `v${i + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', l);
      ip('-n', server, 'link', 'set', `v${i + 1}`, 'master', 'br0');
      ip('-n', server, 'link', 'set', `v${i + 1}`, 'up');
      ip('-n', l, 'addr', 'add', `${subnet}.${i + 2}/24`, 'dev', 'eth0');
      ip('-n', l, 'link', 'set', 'eth0', 'up');
    });
  } catch (e) {
    ns.remove();
    throw e;
  }
  return ns;
}
