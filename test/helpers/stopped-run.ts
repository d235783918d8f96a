import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { RunManifest } from '../../src/runs/types.js';
import { isAlive, processesMentioning } from './procs.js';

/**
 * A run stopped early (a loader died, Ctrl-C): its cpu probe was still stopped and post-processed
 * by flamebench (status ok, stacks kept), and nothing of the run — nginx, recorders, loaders — is left.
 */
export function expectStoppedCleanly(out: string, m: RunManifest): void {
  const cpu = m.probes.find((p) => p.id === 'cpu');
  expect(cpu?.status, JSON.stringify(cpu)).toBe('ok');
  expect(existsSync(path.join(out, 'stacks/cpu.folded'))).toBe(true);
  for (const pid of [m.target!.masterPid, ...m.target!.workerPids]) expect(isAlive(pid)).toBe(false);
  expect(processesMentioning(out)).toEqual([]);
}
