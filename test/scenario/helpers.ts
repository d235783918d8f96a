import type { ScenarioIo } from '../../src/scenario/index.js';
import { checkScenarioText } from '../../src/scenario/index.js';

/** An in-memory file system for scenarios that reference files; paths are absolute. */
export function memIo(files: Record<string, string> = {}): ScenarioIo {
  return {
    readText: (p) => files[p],
    isFile: (p) => p in files,
  };
}

export const SRC = '/scen/test.yaml';

/** Checks inline YAML (lines joined with \n) as if it were /scen/test.yaml. */
export function check(lines: string[], files: Record<string, string> = {}) {
  return checkScenarioText(lines.join('\n') + '\n', SRC, memIo(files));
}

export const MINIMAL = ['openresty:', '  config: |', '    server { listen 127.0.0.1:{{port}}; }'];
