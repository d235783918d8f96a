import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '../../runs/atomic.js';
import type { RunPaths } from '../../runs/paths.js';
import { processExists } from '../../util/proc.js';
import { POLL_SECONDS, controlFile, dumpPrefix } from './inject.js';

/** How long stop() waits for every worker's dump, beyond the poll interval. */
const DUMP_WAIT_MS = 5_000;

export interface CollectedDumps {
  text: string;
  pids: number[];
  missing: number[];
}

/** The harness side of the agent's control files: start/stop by token, then gather one dump per worker. */
export class LuaControl {
  private readonly token = `${process.pid}-${Date.now().toString(36)}`;
  constructor(
    private readonly paths: RunPaths,
    private readonly id: string,
  ) {}

  async start(): Promise<void> {
    // the nginx stage hands raw/ to the worker user; when it could not (not root), workers run as us
    mkdirSync(this.paths.rawDir, { recursive: true });
    ensureWritableByWorkers(this.paths.rawDir);
    await writeFileAtomic(controlFile(this.paths, this.id), `start ${this.token}\n`);
  }

  async stop(workerPids: number[]): Promise<CollectedDumps> {
    await writeFileAtomic(controlFile(this.paths, this.id), `stop ${this.token}\n`);
    const deadline = Date.now() + DUMP_WAIT_MS + POLL_SECONDS * 1000;
    const file = (pid: number) => `${dumpPrefix(this.paths, this.id)}${pid}.txt`;
    let missing = workerPids.filter((p) => !existsSync(file(p)));
    while (missing.length > 0 && Date.now() < deadline) {
      await sleep(20);
      // a worker that died will never answer
      missing = missing.filter((p) => !existsSync(file(p)) && processExists(p));
    }
    missing = workerPids.filter((p) => !existsSync(file(p)));
    const pids = workerPids.filter((p) => existsSync(file(p)));
    // also pick up dumps of workers that replaced crashed ones
    const prefix = `${this.id}-`;
    for (const name of readdirSync(this.paths.rawDir)) {
      const m = name.startsWith(prefix) ? /^(\d+)\.txt$/.exec(name.slice(prefix.length)) : null;
      if (m && !pids.includes(Number(m[1]))) pids.push(Number(m[1]));
    }
    const text = pids.map((p) => readFileSync(file(p), 'utf8')).join('');
    return { text, pids, missing };
  }

  /** Abort: tell the workers to stop (no waiting, no post-processing). */
  async abort(): Promise<void> {
    try {
      await writeFileAtomic(controlFile(this.paths, this.id), `stop ${this.token}\n`);
    } catch {
      /* best effort */
    }
  }
}

function ensureWritableByWorkers(dir: string): void {
  try {
    chmodSync(dir, 0o1777);
  } catch {
    /* not ours to change: the workers run as us then */
  }
}
