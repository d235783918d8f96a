import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { environmentError } from '../errors.js';
import { selfCheckFastParser } from './fast-parser-check.js';
import { siblingModule } from './module-path.js';
import { helloMismatch, type LoaderLink } from './loader-link.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { Listeners } from './listeners.js';

function findOnPath(bin: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = path.join(dir, bin);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/**
 * The loader child process. Started through `taskset -c <cpus>` (taskset execs node, so the pid
 * we get is the loader's, and every thread it later creates inherits the affinity) with an IPC
 * channel. Killed when the parent exits, whatever the reason; the child also exits by itself
 * when the IPC channel closes.
 */
export class LoaderChild implements LoaderLink {
  readonly pid: number;
  readonly pinned: boolean;
  private readonly messageListeners = new Listeners<[ChildMessage]>();
  private readonly exitListeners = new Listeners<[]>();
  private exitedFlag = false;
  private readonly killOnExit = (): void => this.kill();

  private constructor(private readonly proc: ChildProcess, pinned: boolean) {
    this.pid = proc.pid as number;
    this.pinned = pinned;
    proc.on('message', (m: ChildMessage) => {
      this.messageListeners.emit(m);
    });
    proc.on('exit', () => {
      this.exitedFlag = true;
      process.off('exit', this.killOnExit);
      this.exitListeners.emit();
    });
    process.on('exit', this.killOnExit);
  }

  static async start(loaderCpus: readonly number[]): Promise<LoaderChild> {
    // Before any process starts: fail clearly if this autocannon lacks what the fast parser patches.
    selfCheckFastParser();
    const entry = siblingModule(import.meta.url, 'loader-process');
    const taskset = loaderCpus.length > 0 ? findOnPath('taskset') : null;
    // FLAMEBENCH_LOADER_NODE_ARGS: extra node flags for the loader (e.g. --cpu-prof when tuning it).
    const extra = (process.env.FLAMEBENCH_LOADER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const nodeArgs = [...extra, ...entry.execArgv, entry.path];
    const proc = taskset
      ? spawn(taskset, ['-c', loaderCpus.join(','), process.execPath, ...nodeArgs], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const child = new LoaderChild(proc, taskset !== null);
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void =>
        reject(environmentError('E_LOADER_START', `the loader process did not start: ${why}`, 'Check that node can run the loader entry (dist/ built, or tsx installed for src/).'));
      proc.once('error', (e) => fail(e.message));
      const timer = setTimeout(() => {
        child.kill();
        fail('no answer within 20 s');
      }, 20_000);
      child.onExit(() => {
        clearTimeout(timer);
        fail(`exited with code ${proc.exitCode ?? proc.signalCode}`);
      });
      const off = child.onMessage((m) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          off();
          const skew = helloMismatch(m, 'this host');
          if (skew) {
            child.kill();
            reject(skew);
          } else resolve();
        }
      });
    });
    if (!child.pid) throw environmentError('E_LOADER_START', 'the loader process has no pid', '');
    return child;
  }

  get exited(): boolean {
    return this.exitedFlag;
  }

  send(m: ParentMessage): void {
    if (!this.exitedFlag && this.proc.connected) this.proc.send(m);
  }

  onMessage(fn: (m: ChildMessage) => void): () => void {
    return this.messageListeners.add(fn);
  }

  onExit(fn: () => void): () => void {
    return this.exitListeners.add(fn);
  }

  kill(): void {
    if (!this.exitedFlag) this.proc.kill('SIGKILL');
  }

  /** Asks the child to exit; kills it if it has not within `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.exitedFlag) return;
    const gone = new Promise<void>((resolve) => this.onExit(resolve));
    this.send({ type: 'exit' });
    const timer = setTimeout(() => this.kill(), graceMs);
    await gone;
    clearTimeout(timer);
  }
}
