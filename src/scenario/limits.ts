/**
 * Bounds on what a scenario file may hold. A scenario is a few hundred lines; these are far
 * above any real one and far below what exhausts memory or time (a YAML alias bomb expands
 * 9^7 times, /dev/zero never ends, a million keys took minutes).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAlias, isCollection, isMap, isPair, isScalar, visit, type Document } from 'yaml';
import { invalidInput } from '../errors.js';

export const SCENARIO_LIMITS = {
  /** Bytes of scenario text (config templates included). */
  maxBytes: 4 * 1024 * 1024,
  /** Mapping keys plus sequence items in the whole document. */
  maxNodes: 50_000,
  /** `*alias` references in the document; each one may expand to a whole subtree. */
  maxAliases: 100,
} as const;

/**
 * Reads at most maxBytes + 1 bytes of `file`, whatever it is (a FIFO, /dev/zero, a huge file):
 * more than maxBytes is refused without reading on. Directories and unreadable paths are errors
 * that say so.
 */
export function readBoundedText(file: string, maxBytes: number = SCENARIO_LIMITS.maxBytes): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw invalidInput('E_SCENARIO_NOT_FOUND', `cannot read scenario ${file}: ${reason}`, 'give the path of a scenario YAML file, e.g. scenarios/hello.yaml');
  }
  try {
    if (fstatSync(fd).isDirectory()) {
      throw invalidInput('E_SCENARIO_NOT_FOUND', `cannot read scenario ${file}: it is a directory`, 'give the path of a scenario YAML file, e.g. scenarios/hello.yaml');
    }
    const buf = Buffer.alloc(maxBytes + 1);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got > maxBytes) {
      throw invalidInput(
        'E_SCENARIO_TOO_LARGE',
        `scenario ${file} is larger than ${maxBytes / (1024 * 1024)} MiB`,
        'a scenario is a small YAML file; put large configs in configFile and large data in files:',
      );
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export interface SizeProblem {
  message: string;
  hint: string;
  /** Offset in the text of the node that crossed the limit. */
  offset: number;
}

/** Counts nodes and aliases in one linear pass; the first limit crossed is the problem. */
export function checkDocumentSize(doc: Document): SizeProblem | null {
  let nodes = 0;
  let aliases = 0;
  let problem: SizeProblem | null = null;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      aliases++;
      if (aliases > SCENARIO_LIMITS.maxAliases) {
        problem = {
          message: `more than ${SCENARIO_LIMITS.maxAliases} aliases (*name)`,
          hint: 'aliases may each expand to a whole subtree (a "YAML bomb"); write the values out or use fewer anchors',
          offset: node.range?.[0] ?? 0,
        };
        return visit.BREAK;
      }
    } else if (isCollection(node)) {
      nodes += node.items.length;
      if (nodes > SCENARIO_LIMITS.maxNodes) {
        problem = {
          message: `more than ${SCENARIO_LIMITS.maxNodes} keys and list items`,
          hint: 'a scenario is a small file; put large configs in configFile and data in files:',
          offset: node.range?.[0] ?? 0,
        };
        return visit.BREAK;
      }
    }
    return undefined;
  });
  return problem;
}

export interface DuplicateKey {
  key: string;
  offset: number;
}

/**
 * Keys that repeat within one mapping, found with one Set per mapping (yaml's own `uniqueKeys`
 * check compares each key with every earlier one: quadratic, minutes for a large mapping).
 * Only scalar keys are compared, as yaml does by default.
 */
export function duplicateKeys(doc: Document): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const k = pair.key.value;
        const id = `${typeof k}:${String(k)}`;
        if (seen.has(id)) out.push({ key: String(k), offset: pair.key.range?.[0] ?? 0 });
        else seen.add(id);
      }
    },
  });
  return out;
}
