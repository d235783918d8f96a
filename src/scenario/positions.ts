/**
 * Maps a path in the document to the line and column of its YAML node, so every problem can be
 * shown as file:line:col. Missing nodes resolve to the deepest existing ancestor.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type ParsedNode } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

export interface Located extends Position {
  /** The node the position is of (the deepest existing one on the path). */
  node: unknown;
}

function keyString(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function startOf(node: unknown): number | undefined {
  const n = node as Partial<Node> | null | undefined;
  return n && Array.isArray(n.range) ? n.range[0] : undefined;
}

export function locate(doc: Document.Parsed<ParsedNode>, lc: LineCounter, path: readonly string[], at: 'key' | 'value'): Located {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyString(p.key) === seg);
      if (!pair) break;
      const keyStart = startOf(pair.key);
      if (last && at === 'key') {
        offset = keyStart ?? offset;
        node = pair.key;
        break;
      }
      node = pair.value;
      // `key:` with no value has no value node: point at the key.
      offset = startOf(node) ?? keyStart ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      node = item;
      offset = startOf(node) ?? offset;
    } else break;
  }
  return { ...toPosition(lc, offset), node };
}

export function toPosition(lc: LineCounter, offset: number): Position {
  const { line, col } = lc.linePos(offset);
  return { line, col };
}
