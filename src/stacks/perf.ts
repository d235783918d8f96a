import type { Readable } from 'node:stream';
import { collapseStream, collapseText, type LineCollapser } from './collapser.js';
import { noteSkipped, type Folded, type ParseReport } from './folded.js';
import { rangeSplitter } from './lines.js';
import { frameGroup, type FrameOptions } from './perf-frames.js';
import { isSpace, isWord, matchEvent, matchFrame, matchHeader, matchOneLineSample, type OneLineSample } from './perf-lines.js';

/**
 * `perf script` → folded stacks, a port of FlameGraph's stackcollapse-perf.pl (the 2024
 * script: sample weight = period when perf prints one, first event type only unless told,
 * `[unknown]` frames named after their DSO). Out of scope: `--inline` and `--context`, which
 * shell out to addr2line per frame.
 *
 * Where the Perl script loses data we do better, unless `perlCompatible` asks for its exact
 * output (docs/flamegraph.md lists these differences):
 * - the last sample is kept when the input does not end with a blank line (FlameGraph PR #231);
 * - one-line samples (`perf record` without -g: the frame on the header line) are collapsed, as
 *   inferno does, instead of being dropped;
 * - a C++ name is cut at its argument list, not at a "(" inside a template or lambda.
 *
 * Streaming: the collapser keeps only the current sample and the map of distinct stacks.
 */
export interface PerfCollapseOptions {
  /** `--pid`: append the PID to the process name ("comm-pid"; "?" when perf printed only TIDs). */
  pid?: boolean;
  /** `--tid`: append PID and TID ("comm-pid/tid"). */
  tid?: boolean;
  /** `--kernel`: annotate kernel frames with `_[k]`. */
  kernel?: boolean;
  /** `--jit`: annotate frames from /tmp/perf-<pid>.map with `_[j]`. */
  jit?: boolean;
  /** `--all`: kernel + jit. */
  all?: boolean;
  /** `--addrs`: keep the address of `[unknown]` frames, as `[dso <pc>]`. */
  addrs?: boolean;
  /** `--event-filter`: keep only samples of this event; default: the first event seen. */
  eventFilter?: string;
  /** Byte-for-byte the Perl script's output, including where it loses data (see above). */
  perlCompatible?: boolean;
}

export interface PerfParseReport extends ParseReport {
  /** Samples recorded into the output. */
  samples: number;
  /** The event kept ("" when no header named one). */
  event: string;
  /** Samples of other events that were dropped, and their event names. */
  filteredSamples: number;
  filteredEvents: string[];
}

export interface PerfCollapseResult {
  stacks: Folded;
  report: PerfParseReport;
}

export interface PerfCollapser extends LineCollapser<PerfParseReport> {
  /**
   * Any piece of the input as bytes, read as latin1 (one character per byte, as the Perl script
   * reads them); lines may span calls. The fast path of the CLI: frame lines seen before are
   * recognised from their bytes, without making a string. Do not mix with write() mid-line.
   */
  writeBytes(bytes: Uint8Array): void;
}

/** Perl truthiness of a string: "" and "0" are false. */
function perlTrue(s: string | undefined): s is string {
  return s !== undefined && s !== '' && s !== '0';
}

/** A node of the stack trie: samples are counted by walking interned frame-group ids, so no
 * per-sample string is built; the folded keys are made once per distinct stack at the end. */
interface TrieNode {
  count: number;
  children: Map<number, TrieNode> | undefined;
  lastId: number;
  lastChild: TrieNode | undefined;
}

const newNode = (): TrieNode => ({ count: 0, children: undefined, lastId: -1, lastChild: undefined });

function child(node: TrieNode, id: number): TrieNode {
  if (node.lastId === id) return node.lastChild as TrieNode;
  let c = node.children?.get(id);
  if (c === undefined) {
    c = newNode();
    (node.children ??= new Map()).set(id, c);
  }
  node.lastId = id;
  node.lastChild = c;
  return c;
}

/**
 * Frame lines known by the bytes of their tail (see lineBytes): an open-addressing table in one
 * Int32Array, five slots per entry — three hashes, length + 1 (0: empty) and the frame group id —
 * so a lookup allocates nothing.
 */
class ByteTable {
  private slots = new Int32Array(5 << 14);
  private mask = (1 << 14) - 1;
  size = 0;

  /** The group id, -2 when unknown. */
  get(h1: number, h2: number, h3: number, len: number): number {
    const t = this.slots;
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const o = i * 5;
      const l = t[o + 3] as number;
      if (l === 0) return -2;
      if (l === len + 1 && t[o] === h1 && t[o + 1] === h2 && t[o + 2] === h3) return t[o + 4] as number;
    }
  }

  set(h1: number, h2: number, h3: number, len: number, gid: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const t = this.slots;
    let i = h1 & this.mask;
    while ((t[i * 5 + 3] as number) !== 0) i = (i + 1) & this.mask;
    const o = i * 5;
    t[o] = h1;
    t[o + 1] = h2;
    t[o + 2] = h3;
    t[o + 3] = len + 1;
    t[o + 4] = gid;
    this.size++;
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array((this.mask + 1) * 5);
    this.size = 0;
    for (let o = 0; o < old.length; o += 5) {
      if ((old[o + 3] as number) !== 0) this.set(old[o] as number, old[o + 1] as number, old[o + 2] as number, (old[o + 3] as number) - 1, old[o + 4] as number);
    }
  }
}

function latin1(buf: Uint8Array, s: number, e: number): string {
  return (buf as Buffer).toString('latin1', s, e);
}

/** A cached frame line: its interned group id (-1: no frame), and whether --addrs made it depend on the address. */
interface CachedFrame {
  gid: number;
  usesPc: boolean;
}

/**
 * A copy of a string that does not keep the input chunk it was sliced from alive (V8 slices
 * point into their parent): whatever outlives a chunk goes through here, or memory would grow
 * with the input.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export function createPerfCollapser(opts: PerfCollapseOptions = {}): PerfCollapser {
  const annotateKernel = !!(opts.kernel || opts.all);
  const annotateJit = !!(opts.jit || opts.all);
  const includeAddrs = !!opts.addrs;
  const perlCompatible = !!opts.perlCompatible;
  const frameOpts: FrameOptions = { annotateKernel, annotateJit, includeAddrs, tidyJava: false, perlCompatible };
  const javaFrameOpts: FrameOptions = { ...frameOpts, tidyJava: true };

  const roots = new Map<string, TrieNode>();
  const report: PerfParseReport = {
    skipped: 0,
    examples: [],
    samples: 0,
    event: opts.eventFilter ?? '',
    filteredSamples: 0,
    filteredEvents: [],
  };
  let eventFilter = opts.eventFilter ?? '';
  let lineNo = 0;
  // Text lines go to line() as ranges; writeBytes joins its first line with the text held back here.
  const splitter = rangeSplitter(line);

  // Interned frame groups (one frame line → "frame" or "caller;inlined_[i]").
  const groupIds = new Map<string, number>();
  const groupNames: string[] = [];
  const intern = (g: string): number => {
    let id = groupIds.get(g);
    if (id === undefined) {
      id = groupNames.length;
      g = detach(g);
      groupNames.push(g);
      groupIds.set(g, id);
    }
    return id;
  };
  // Frame lines repeat endlessly: cache the result per line tail (from the symbol on), per java-ness.
  const frameCache = new Map<string, CachedFrame>();
  const javaFrameCache = new Map<string, CachedFrame>();
  const MAX_CACHE = 200_000;
  // The byte-level cache of writeBytes: frame-line tail (hashes, length) → the same entry as above.
  const byteCache = new ByteTable();
  const javaByteCache = new ByteTable();
  /** Set by frame() to the cache entry a line resolved to, so writeBytes can learn it. */
  let learned: CachedFrame | undefined;
  let carryBytes: Buffer | null = null;

  // State of the sample being read, as in the script: @stack, $pname, $m_period, java-ness.
  const groups: number[] = [];
  let pname: string | undefined;
  let period = 1;
  let fo = frameOpts;
  let cache = frameCache;

  function skip(line: string): void {
    noteSkipped(report, lineNo, line);
  }

  function endOfSample(): void {
    if (!perlTrue(pname)) return; // `next if not $pname`: a filtered sample
    let node = roots.get(pname);
    if (node === undefined) roots.set(detach(pname), (node = newNode()));
    for (let i = groups.length - 1; i >= 0; i--) node = child(node, groups[i] as number);
    node.count += period;
    report.samples++;
    groups.length = 0;
    pname = undefined;
  }

  function header(line: string): boolean {
    const h = matchHeader(line);
    if (h === null) return false;
    let pid = h.first;
    let tid = h.second;
    if (!perlTrue(tid)) {
      tid = pid;
      pid = '?';
    }
    let periodText: string | undefined;
    let ev = matchEvent(line);
    let oneLine: OneLineSample | null = null;
    if (ev === null && !perlCompatible) {
      oneLine = matchOneLineSample(line);
      if (oneLine !== null) ev = oneLine;
    }
    if (ev !== null) {
      periodText = ev.period;
      if (eventFilter === '') {
        eventFilter = ev.event;
        report.event = ev.event;
      } else if (ev.event !== eventFilter) {
        report.filteredSamples++;
        if (!report.filteredEvents.includes(ev.event) && report.filteredEvents.length < 20) {
          report.filteredEvents.push(ev.event);
        }
        return true;
      }
    }
    period = perlTrue(periodText) ? Number(periodText) : 1;
    const comm = h.comm;
    let name = opts.tid ? `${comm}-${pid}/${tid}` : opts.pid ? `${comm}-${pid}` : comm;
    if (name.includes(' ')) name = name.replaceAll(' ', '_');
    pname = name;
    const java = comm === 'java';
    fo = java ? javaFrameOpts : frameOpts;
    cache = java ? javaFrameCache : frameCache;
    if (oneLine !== null) {
      // The whole sample is on this line: its frame, then the end of the sample.
      const l = oneLine.frame;
      frame(l, 0, l.length);
      endOfSample();
    }
    return true;
  }

  /**
   * A frame line text[s, e). Cached by the text from the symbol on ("tail"), which alone decides
   * the frames unless --addrs puts the address of an [unknown] frame in them.
   */
  function frame(text: string, s: number, e: number): boolean {
    let b = s;
    while (b < e && isSpace(text.charCodeAt(b))) b++;
    const a = b;
    while (b < e && isWord(text.charCodeAt(b))) b++;
    if (b === a) return false;
    while (b < e && isSpace(text.charCodeAt(b))) b++;
    const tail = text.slice(b, e);
    const hit = cache.get(tail);
    if (hit !== undefined && !hit.usesPc) {
      learned = hit;
      if (hit.gid >= 0 && perlTrue(pname)) groups.push(hit.gid); // `next if not $pname`
      return true;
    }
    const m = matchFrame(text.slice(s, e));
    if (m === null) return false;
    if (!perlTrue(pname)) return true;
    const g = frameGroup(m.pc, m.rawfunc, m.mod, fo);
    const gid = g === null ? -1 : intern(g);
    if (gid >= 0) groups.push(gid);
    // Only lines whose parse depends on nothing before the symbol are cacheable (see matchFrame).
    if (hit === undefined && m.funcStart === b - s && cache.size < MAX_CACHE) {
      const entry = { gid, usesPc: includeAddrs && m.rawfunc.includes('[unknown]') };
      cache.set(detach(tail), entry);
      learned = entry;
    }
    return true;
  }

  function line(text: string, s: number, e: number): void {
    lineNo++;
    if (e === s) {
      endOfSample();
      return;
    }
    const c0 = text.charCodeAt(s);
    if (c0 === 35) return; // '#': comments and the perf header
    // A header starts with a non-blank; frame lines usually with blanks.
    if (!isSpace(c0)) {
      const l = text.slice(s, e);
      if (header(l)) return;
      if (frame(text, s, e)) return;
      skip(l);
      return;
    }
    if (pname === undefined && !perlCompatible && indentedHeader(text, s, e)) return;
    if (frame(text, s, e)) return;
    skip(text.slice(s, e));
  }

  /**
   * perf right-aligns short process names, so a header can start with blanks; the Perl script
   * then takes it for a frame line of no sample and loses the sample. Between samples, a blank-led
   * line that ends like a header (event and ":", or a one-line sample) is read as one.
   */
  function indentedHeader(text: string, s: number, e: number): boolean {
    let b = s;
    while (b < e && isSpace(text.charCodeAt(b))) b++;
    const l = text.slice(b, e);
    if (matchEvent(l) === null && matchOneLineSample(l) === null) return false;
    return header(l);
  }

  function push(l: string): void {
    line(l, 0, l.length);
  }

  function write(text: string): void {
    splitter.write(text);
  }

  /**
   * One line of bytes [s, e). A frame line whose tail (the text from the symbol on, as frame()
   * cuts it) was seen before is resolved from a hash of its bytes; anything else becomes a latin1
   * string for the text path, which then teaches the byte cache.
   */
  function lineBytes(buf: Uint8Array, s: number, e: number): void {
    const c0 = buf[s] as number;
    if (c0 === 32 || c0 === 9) {
      let b = s;
      while (b < e && isSpace(buf[b] as number)) b++;
      const a = b;
      while (b < e && isWord(buf[b] as number)) b++;
      if (b > a) {
        while (b < e && isSpace(buf[b] as number)) b++;
        // Three independent 32-bit hashes and the length (~100 bits): a false match among even a
        // million distinct tails has odds below 1e-18, so the bytes are not compared again.
        let h1 = 0x811c9dc5 | 0;
        let h2 = 5381;
        let h3 = 0x9e3779b9 | 0;
        for (let i = b; i < e; i++) {
          const c = buf[i] as number;
          h1 = Math.imul(h1 ^ c, 16777619);
          h2 = (Math.imul(h2, 33) ^ c) | 0;
          h3 = Math.imul(h3 + c, 0x85ebca6b) ^ (h3 >>> 13);
        }
        const bc = cache === frameCache ? byteCache : javaByteCache;
        const gid = bc.get(h1, h2, h3, e - b);
        if (gid !== -2) {
          lineNo++;
          if (gid >= 0 && perlTrue(pname)) groups.push(gid); // `next if not $pname`
          return;
        }
        learned = undefined;
        const text = latin1(buf, s, e);
        line(text, 0, text.length);
        const got = learned as CachedFrame | undefined; // set by frame() inside line()
        if (got !== undefined && !got.usesPc && bc.size < MAX_CACHE) bc.set(h1, h2, h3, e - b, got.gid);
        return;
      }
    }
    const text = latin1(buf, s, e);
    line(text, 0, text.length);
  }

  function writeBytes(bytes: Uint8Array): void {
    let s = 0;
    const n = bytes.length;
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (splitter.hasCarry() || carryBytes !== null) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        carryBytes = carryBytes === null ? Buffer.from(buf) : Buffer.concat([carryBytes, buf]);
        return;
      }
      const head = carryBytes === null ? buf.subarray(0, nl) : Buffer.concat([carryBytes, buf.subarray(0, nl)]);
      carryBytes = null;
      const first = splitter.takeCarry() + head.toString('latin1');
      line(first, 0, first.length);
      s = nl + 1;
    }
    while (s < n) {
      const e = buf.indexOf(10, s);
      if (e < 0) {
        carryBytes = Buffer.from(buf.subarray(s)); // a copy: the chunk is not kept alive
        return;
      }
      if (e === s) line('', 0, 0);
      else lineBytes(buf, s, e);
      s = e + 1;
    }
  }

  function finish(): PerfCollapseResult {
    if (carryBytes !== null) {
      splitter.write(carryBytes.toString('latin1')); // no "\n" in it: it joins the held-back text
      carryBytes = null;
    }
    // A last line without "\n" is still a line; a sample not closed by a blank line is kept,
    // unless perlCompatible (the script only records on a blank line).
    splitter.end();
    if (!perlCompatible) endOfSample();
    const stacks: Folded = new Map();
    const walk = (node: TrieNode, key: string): void => {
      if (node.count !== 0) stacks.set(key, (stacks.get(key) ?? 0) + node.count);
      if (node.children !== undefined) for (const [id, c] of node.children) walk(c, `${key};${groupNames[id]}`);
    };
    for (const [name, root] of roots) walk(root, name);
    return { stacks, report };
  }

  return { push, write, writeBytes, finish };
}

/** Whole `perf script` text → folded stacks. */
export function collapsePerf(text: string, opts: PerfCollapseOptions = {}): PerfCollapseResult {
  return collapseText(createPerfCollapser(opts), text);
}

/**
 * A stream of `perf script` text → folded stacks, in constant memory beyond the distinct stacks.
 * `encoding` 'latin1' keeps every byte as one character, which makes the output byte-identical
 * to the Perl script's on any input (the CLI uses it); 'utf8' gives readable names in the API.
 */
export function collapsePerfStream(
  input: Readable,
  opts: PerfCollapseOptions & { encoding?: 'utf8' | 'latin1' } = {},
): Promise<PerfCollapseResult> {
  return collapseStream(createPerfCollapser(opts), input, opts.encoding ?? 'utf8');
}
