import type { Readable } from 'node:stream';
import { collapseStream, collapseText, type LineCollapser } from './collapser.js';
import { noteSkipped, type Folded, type ParseReport } from './folded.js';
import { lineSplitter } from './lines.js';

/**
 * bpftrace map dumps → folded stacks. At exit bpftrace prints each map entry as
 *
 *   @name[
 *       leaf_function+12
 *       caller+34
 *   ,
 *       0x7f9eb5991ad7
 *   , nginx]: 42
 *
 * i.e. the key's elements separated by "," at line starts: stacks (`kstack`, `ustack`, one
 * indented frame per line, innermost first, possibly empty) and scalars (comm, pid…).
 * Folded order, root first: scalars (in key order), then user stacks, then kernel stacks, each
 * reversed. Offsets are dropped ("func+12" → "func") unless `keepOffsets` (what
 * stackcollapse-bpftrace.pl prints, and `flamebench collapse bpftrace` by default), unresolved addresses become "[unknown]"
 * (bpftrace prints bare addresses when a binary has no symbols, and its user stacks stop early
 * without frame pointers), `ustack(perf)` frames "addr sym+off (dso)" keep the symbol, or the
 * DSO's name as "[dso]" when unknown. Entries without a stack (e.g. `@start[tid]`) are ignored.
 *
 * Older bpftrace (and stackcollapse-bpftrace.pl's own example) prints frames without indentation:
 *
 *   @[
 *   sys_read+85
 *   tcp_recvmsg+808
 *   ]: 3
 *
 * Inside an entry, a line is a frame when it is indented, or when it neither starts a new key
 * element (",") nor closes the entry ("]: value").
 */
export interface BpftraceCollapseOptions {
  /** Only this map ("@us", "@"); default: every map whose keys hold a stack. */
  map?: string;
  /** Append `_[k]` to kernel frames (as stackcollapse-perf.pl --kernel does). */
  annotateKernel?: boolean;
  /** Keep "+offset" on symbols, as stackcollapse-bpftrace.pl does (default: dropped, so call sites merge). */
  keepOffsets?: boolean;
}

export interface BpftraceParseReport extends ParseReport {
  entries: number;
  /** Map names that had stack keys, in order of appearance. */
  maps: string[];
  /** Entries ignored: no stack in the key, or another map than the one asked for. */
  ignoredEntries: number;
  /** Stacks that were cut short: the user stack is empty or ends in an address (no frame pointers). */
  truncatedUserStacks: number;
}

type Element = { kind: 'stack'; frames: string[] } | { kind: 'scalar'; text: string };

const ENTRY_START = /^(@[A-Za-z0-9_]*)\[(.*)$/;
const ENTRY_END = /^(.*)\]: (-?\d+(?:\.\d+)?)$/;
const HEX_ADDR = /^0x[0-9a-fA-F]+$/;
/** `ustack(perf)` / `kstack(perf)` frame: "7f0d8d8b14dd __GI___write+29 (/usr/lib/x86_64-linux-gnu/libc.so.6)". */
const PERF_FRAME = /^[0-9a-fA-F]+ (.+) \((.*)\)$/;
/** Outermost frames that only a kernel stack has. */
const KERNEL_ROOT = /^(entry_SYSCALL|entry_INT80|ret_from_fork|asm_|secondary_startup|start_kernel|x86_64_start|common_interrupt|do_syscall_64|cpu_startup_entry|irq_|__sysvec|sysvec_|0xffff)/;

/** One printed frame → its folded name. */
export function bpftraceFrame(raw: string, keepOffsets = false): string {
  let f = raw.trim();
  const perf = PERF_FRAME.exec(f);
  if (perf) {
    f = perf[1] as string;
    if (f === '[unknown]') {
      const dso = perf[2] as string;
      return dso && dso !== '[unknown]' ? `[${dso.slice(dso.lastIndexOf('/') + 1)}]` : '[unknown]';
    }
  }
  if (HEX_ADDR.test(f)) return '[unknown]';
  const plus = keepOffsets ? -1 : f.lastIndexOf('+');
  if (plus > 0 && /^(0x[0-9a-fA-F]+|\d+)$/.test(f.slice(plus + 1))) f = f.slice(0, plus);
  return f.replaceAll(';', ':').replaceAll(' ', '_');
}

function isKernelStack(frames: string[]): boolean {
  const root = frames[frames.length - 1];
  return root !== undefined && KERNEL_ROOT.test(root.trim());
}

export function createBpftraceCollapser(opts: BpftraceCollapseOptions = {}): LineCollapser<BpftraceParseReport> {
  const keepOffsets = !!opts.keepOffsets;
  const stacks: Folded = new Map();
  const report: BpftraceParseReport = { skipped: 0, examples: [], entries: 0, maps: [], ignoredEntries: 0, truncatedUserStacks: 0 };
  let lineNo = 0;
  let entry: { map: string; elements: Element[]; cur: Element | null; texts: string[] } | null = null;

  const skip = (line: string) => {
    noteSkipped(report, lineNo, line);
  };

  /** Text on a non-indented line of a key: "," separates elements. */
  const keyText = (text: string) => {
    const e = entry!;
    const parts = text.split(',');
    parts.forEach((p, i) => {
      if (i > 0) closeElement();
      const t = p.trim();
      if (t !== '') e.texts.push(t);
    });
  };
  const closeElement = () => {
    const e = entry!;
    if (e.cur !== null) e.elements.push(e.cur);
    else if (e.texts.length > 0) e.elements.push({ kind: 'scalar', text: e.texts.join(',') });
    else e.elements.push({ kind: 'stack', frames: [] }); // bpftrace prints an empty stack as nothing
    e.cur = null;
    e.texts = [];
  };

  const finishEntry = (value: number) => {
    closeElement();
    const e = entry!;
    entry = null;
    const stackEls = e.elements.filter((x): x is { kind: 'stack'; frames: string[] } => x.kind === 'stack');
    const hasFrames = stackEls.some((s) => s.frames.length > 0);
    if (stackEls.length === 0 || (opts.map !== undefined && e.map !== opts.map)) {
      report.ignoredEntries++;
      return;
    }
    if (!report.maps.includes(e.map)) report.maps.push(e.map);
    const names: string[] = [];
    for (const x of e.elements) if (x.kind === 'scalar') names.push(x.text.replaceAll(';', ':').replaceAll(' ', '_'));
    // Key order is kstack-then-ustack by convention; put user stacks first (callers), kernel last.
    const ordered = [...stackEls].reverse();
    ordered.sort((a, b) => Number(isKernelStack(a.frames)) - Number(isKernelStack(b.frames)));
    for (const s of ordered) {
      const kernel = isKernelStack(s.frames);
      if (!kernel && stackEls.length > 1) {
        const root = s.frames[s.frames.length - 1];
        if (root === undefined || HEX_ADDR.test(root.trim())) report.truncatedUserStacks++;
      }
      for (let i = s.frames.length - 1; i >= 0; i--) {
        const f = bpftraceFrame(s.frames[i] as string, keepOffsets);
        names.push(kernel && opts.annotateKernel ? `${f}_[k]` : f);
      }
    }
    if (!hasFrames && names.length === 0) {
      report.ignoredEntries++;
      return;
    }
    const key = names.join(';');
    stacks.set(key, (stacks.get(key) ?? 0) + value);
    report.entries++;
  };

  const push = (raw: string) => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (entry === null) {
      const start = ENTRY_START.exec(line);
      if (start) {
        entry = { map: start[1] as string, elements: [], cur: null, texts: [] };
        const rest = start[2] as string;
        const end = ENTRY_END.exec(rest);
        if (end) {
          keyText(end[1] as string);
          finishEntry(Number(end[2]));
        } else keyText(rest);
        return;
      }
      if (line.trim() === '' || /^Attaching \d+ probes?\.\.\.$/.test(line) || /^@[A-Za-z0-9_]*: /.test(line)) return;
      skip(line);
      return;
    }
    const end = ENTRY_END.exec(line);
    const frameLine = line.trim() !== '' && (/^\s/.test(line) || (end === null && !line.startsWith(',')));
    if (frameLine) {
      const e = entry;
      if (e.cur === null) {
        e.cur = { kind: 'stack', frames: [] };
        e.texts = [];
      }
      (e.cur as { frames: string[] }).frames.push(line);
      return;
    }
    if (end) {
      keyText(end[1] as string);
      finishEntry(Number(end[2]));
      return;
    }
    keyText(line);
  };
  const splitter = lineSplitter(push);
  return {
    push,
    write: splitter.write,
    finish(): { stacks: Folded; report: BpftraceParseReport } {
      splitter.end();
      if (entry !== null) {
        report.skipped++;
        report.examples.push(`line ${lineNo}: map entry ${entry.map}[… not closed by "]: <value>"`);
        entry = null;
      }
      return { stacks, report };
    },
  };
}

export function collapseBpftrace(text: string, opts: BpftraceCollapseOptions = {}): { stacks: Folded; report: BpftraceParseReport } {
  return collapseText(createBpftraceCollapser(opts), text);
}

export function collapseBpftraceStream(input: Readable, opts: BpftraceCollapseOptions = {}): Promise<{ stacks: Folded; report: BpftraceParseReport }> {
  return collapseStream(createBpftraceCollapser(opts), input);
}
