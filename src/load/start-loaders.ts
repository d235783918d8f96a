/**
 * Starts the loaders a scenario asks for: the forked local loader (load.hosts: [local], the
 * default) or one `flamebench loader` per load.hosts entry behind its launch prefix, coordinated
 * as a LoaderGroup. Either way the caller gets one LoaderLink.
 */
import type { LoaderHost, LoadSpec } from '../scenario/types.js';
import { LoaderGroup } from './loader-group.js';
import type { LoaderLink } from './loader-link.js';
import { siblingModule } from './module-path.js';
import { LoaderChild } from './spawn-loader.js';
import { StreamLoader } from './stream-loader.js';

export function hostLabel(h: LoaderHost): string {
  return h === 'local' ? 'local' : h.join(' ');
}

/** The command after the prefix: 'self' runs this node on this installation's stdio loader entry. */
export function loaderCommand(spec: Pick<LoadSpec, 'loaderCommand'>): string[] {
  const c = spec.loaderCommand ?? 'self';
  if (c !== 'self') return [...c];
  const entry = siblingModule(import.meta.url, 'loader-stdio');
  return [process.execPath, ...entry.execArgv, entry.path];
}

export function isDistributed(spec: Pick<LoadSpec, 'hosts'>): boolean {
  const hosts = spec.hosts ?? ['local'];
  return !(hosts.length === 1 && hosts[0] === 'local');
}

export async function startLoaders(spec: LoadSpec, loaderCpus: readonly number[]): Promise<LoaderLink> {
  if (!isDistributed(spec)) return LoaderChild.start(loaderCpus);
  const command = loaderCommand(spec);
  const hosts = spec.hosts ?? [];
  const started = await Promise.allSettled(
    hosts.map((h) => StreamLoader.start({ prefix: h === 'local' ? [] : h, command, label: hostLabel(h) })),
  );
  const loaders = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // One loader short would skew the split: stop the others, nothing runs anywhere.
    await Promise.all(loaders.map((l) => l.close(500)));
    throw failed.reason;
  }
  return new LoaderGroup(loaders);
}
