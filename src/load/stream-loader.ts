/**
 * A loader reached through a launch prefix — `ssh -T host`, `kubectl exec -i pod --`, `ip netns
 * exec ns`, or nothing — running `flamebench loader` with the protocol framed as JSON lines on its
 * stdin/stdout. Killing the launcher closes the channel; the loader exits when its stdin ends, so
 * nothing stays behind on the other host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { environmentError, type FlamebenchError } from '../errors.js';
import { encodeFrame, frameReader } from './frame.js';
import { helloMismatch, type LoaderLink } from './loader-link.js';
import type { ChildMessage, ParentMessage } from './protocol.js';
import { Listeners } from './listeners.js';

export interface StreamLoaderOptions {
  /** Launch prefix, e.g. ['ip','netns','exec','loader1']; [] runs the command here. */
  prefix: readonly string[];
  /** The loader command on that host, e.g. ['flamebench','loader']. */
  command: readonly string[];
  /** How the errors name it. */
  label: string;
  helloTimeoutMs?: number;
}

/** Loaders still running: killed when this process exits, whatever the reason (one listener for any number of loaders). */
const running = new Set<StreamLoader>();
process.on('exit', () => {
  for (const l of running) l.kill();
});

export class StreamLoader implements LoaderLink {
  readonly pid: number;
  readonly pinned = false;
  readonly label: string;
  /** From the hello. */
  hostname = '';
  /** Why the channel failed, when it did (a bad frame); the exit listeners then see exited. */
  channelError: string | null = null;
  private readonly messageListeners = new Listeners<[ChildMessage]>();
  private readonly exitListeners = new Listeners<[]>();
  private exitedFlag = false;

  private constructor(private readonly proc: ChildProcess, label: string) {
    this.pid = proc.pid ?? 0;
    this.label = label;
    const reader = frameReader();
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      let messages: unknown[];
      try {
        messages = reader.push(chunk);
      } catch (e) {
        this.channelError = e instanceof Error ? e.message : String(e);
        this.kill();
        return;
      }
      for (const m of messages) this.messageListeners.emit(m as ChildMessage);
    });
    proc.stdin?.on('error', () => undefined); // EPIPE after the loader died: the exit event says so
    proc.on('exit', () => {
      this.exitedFlag = true;
      running.delete(this);
      this.exitListeners.emit();
    });
    running.add(this);
  }

  static async start(opts: StreamLoaderOptions): Promise<StreamLoader> {
    const argv = [...opts.prefix, ...opts.command];
    const [bin, ...args] = argv;
    if (!bin) throw environmentError('E_LOADER_START', `loader ${opts.label}: empty launch command`, 'Set load.hosts entries and load.loaderCommand.');
    // Own process group: a terminal's Ctrl-C reaches flamebench, which aborts the loaders through the protocol.
    const proc = spawn(bin, args, { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
    const loader = new StreamLoader(proc, opts.label);
    await new Promise<void>((resolve, reject) => {
      const fail = (e: FlamebenchError): void => {
        loader.kill();
        reject(e);
      };
      const notStarted = (why: string): FlamebenchError =>
        environmentError('E_LOADER_START', `the loader on ${opts.label} did not start: ${why} (command: ${argv.join(' ')})`, 'Run the command by hand; its stderr is shown above. Check load.hosts and load.loaderCommand.');
      proc.once('error', (e) => fail(notStarted(e.message)));
      const timer = setTimeout(() => fail(notStarted(`no hello within ${(opts.helloTimeoutMs ?? 20_000) / 1000} s`)), opts.helloTimeoutMs ?? 20_000);
      loader.onExit(() => {
        clearTimeout(timer);
        fail(notStarted(loader.channelError ?? `exited with code ${proc.exitCode ?? proc.signalCode}`));
      });
      const off = loader.onMessage((m) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        off();
        const skew = helloMismatch(m, opts.label);
        if (skew) fail(skew);
        else {
          loader.hostname = m.hostname;
          resolve();
        }
      });
    });
    return loader;
  }

  get exited(): boolean {
    return this.exitedFlag;
  }

  send(m: ParentMessage): void {
    if (!this.exitedFlag && this.proc.stdin?.writable) this.proc.stdin.write(encodeFrame(m));
  }

  onMessage(fn: (m: ChildMessage) => void): () => void {
    return this.messageListeners.add(fn);
  }

  onExit(fn: () => void): () => void {
    return this.exitListeners.add(fn);
  }

  kill(): void {
    if (this.exitedFlag) return;
    // The launcher's whole group (ip netns exec execs the loader; ssh is the client whose end closes the channel).
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      this.proc.kill('SIGKILL');
    }
  }

  async close(graceMs = 2000): Promise<void> {
    if (this.exitedFlag) return;
    const gone = new Promise<void>((resolve) => this.onExit(resolve));
    this.send({ type: 'exit' });
    this.proc.stdin?.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    await gone;
    clearTimeout(timer);
  }
}
