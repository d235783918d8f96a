import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import type { RunEnvironment } from '../runs/types.js';
import { packageVersion, toolVersion } from '../util/version.js';
import { readUsableCpus } from './placement.js';
import type { NginxInstallation } from './types.js';

const run = promisify(execFile);

/** The facts run.json records about the machine a run ran on. */
export async function describeEnvironment(installation: NginxInstallation): Promise<RunEnvironment> {
  return {
    nginxBinary: installation.binary,
    nginxVersion: installation.version,
    luaModule: installation.luaModule,
    kernel: os.release(),
    cpuModel: cpuModel(readOr('/proc/cpuinfo')) ?? os.cpus()[0]?.model ?? 'unknown',
    cores: readUsableCpus().length,
    hostname: os.hostname(),
    node: process.version,
    autocannon: packageVersion('autocannon'),
    perf: await perfVersion(),
    flamebench: toolVersion(),
  };
}

/** "model name : AMD EPYC 7B13" (x86) or "Model : …" / "CPU part" fallbacks (arm). */
export function cpuModel(cpuinfo: string): string | null {
  const m = /^model name\s*:\s*(.+)$/m.exec(cpuinfo) ?? /^Model\s*:\s*(.+)$/m.exec(cpuinfo) ?? /^Hardware\s*:\s*(.+)$/m.exec(cpuinfo);
  return m?.[1]?.trim() ?? null;
}

async function perfVersion(): Promise<string | null> {
  try {
    const { stdout } = await run('perf', ['--version'], { timeout: 5_000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
