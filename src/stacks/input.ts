import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { environmentError, invalidInput } from '../errors.js';

/**
 * Opens profiler output for the collapsers: a file or stdin, gzip recognised by its magic bytes
 * (1f 8b), and a perf.data file (magic "PERFILE2", also in pipe mode) turned into text by running
 * `perf script` on it. Always a stream: inputs of any size go through in constant memory.
 */
export type InputKind = 'text' | 'gzip' | 'perf.data';

export interface OpenedInput {
  kind: InputKind;
  stream: Readable;
  /** Resolves when the input is fully read; rejects if `perf script` failed. */
  done(): Promise<void>;
}

const GZIP = Buffer.from([0x1f, 0x8b]);
const PERF_MAGIC = Buffer.from('PERFILE2');

export function sniff(head: Buffer): InputKind {
  if (head.length >= 2 && head.subarray(0, 2).equals(GZIP)) return 'gzip';
  if (head.length >= 8 && head.subarray(0, 8).equals(PERF_MAGIC)) return 'perf.data';
  return 'text';
}

const unreadable = (what: string, e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return invalidInput(
    'E_INPUT_UNREADABLE',
    `cannot read ${what}: ${(e as Error).message}`,
    code === 'ENOENT' ? 'Check the path.' : code === 'EISDIR' ? 'Give a file, not a directory.' : 'Give a readable file, or pipe the data on stdin.',
  );
};

/** `perf script` over a perf.data file, or over perf.data fed on stdin ("-i -"). */
function perfScript(file: string, stdin?: Readable): { stream: Readable; done(): Promise<void> } {
  const child = spawn('perf', ['script', '-i', file], { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (stdin && child.stdin) stdin.pipe(child.stdin).on('error', () => {});
  const out = child.stdout as Readable;
  const err = child.stderr as Readable;
  let stderr = '';
  err.setEncoding('utf8');
  err.on('data', (d: string) => {
    if (stderr.length < 4000) stderr += d;
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => {
      reject(
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? environmentError('E_PERF_MISSING', 'perf is not installed: it is needed to read a perf.data file', 'Install linux-perf (Debian) / linux-tools (Ubuntu), or give `perf script` output instead.')
          : e,
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(invalidInput('E_PERF_SCRIPT', `perf script -i ${file} failed (${signal ?? `exit ${code}`})`, file === '-' ? 'perf.data on stdin must be in pipe mode (`perf record -o - … | flamebench collapse perf`); give a perf.data file by its path instead.' : 'Is this a complete perf.data file? Try `perf script -i <file>` by hand.', stderr.trim().split('\n').slice(-5)));
    });
  });
  // Errors surface through done(); the stream just ends.
  exited.catch(() => {});
  return { stream: out, done: () => exited };
}

export async function openInput(file: string | undefined): Promise<OpenedInput> {
  const fromStdin = file === undefined || file === '-';
  if (fromStdin) {
    if (process.stdin.isTTY) {
      throw invalidInput('E_NO_INPUT', 'no input: stdin is a terminal', 'Give a file, or pipe the profiler output in: `perf script | flamebench collapse perf`.');
    }
    return openStream(process.stdin);
  }
  let head: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(8);
      const { bytesRead } = await fh.read(buf, 0, 8, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw unreadable(file, e);
  }
  const kind = sniff(head);
  if (kind === 'perf.data') return { kind, ...perfScript(file) };
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  if (kind === 'gzip') {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    raw.pipe(gunzip);
    return { kind, stream: gunzip, done: async () => {} };
  }
  return { kind, stream: raw, done: async () => {} };
}

/** Stdin: look at the first bytes, then hand on a stream that still starts with them. */
async function openStream(input: Readable): Promise<OpenedInput> {
  const it = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  const firsts: Buffer[] = [];
  let ended = false;
  while (head.length < 8) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(String(r.value));
    firsts.push(b);
    head = Buffer.concat([head, b]);
  }
  const kind = sniff(head);
  const rest = new PassThrough();
  (async () => {
    for (const b of firsts) if (!rest.write(b)) await new Promise((r) => rest.once('drain', r));
    if (!ended) {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        if (!rest.write(r.value)) await new Promise((res) => rest.once('drain', res));
      }
    }
    rest.end();
  })().catch((e) => rest.destroy(e as Error));
  if (kind === 'perf.data') return { kind, ...perfScript('-', rest) };
  if (kind === 'gzip') {
    const gunzip = createGunzip();
    rest.pipe(gunzip);
    return { kind, stream: gunzip, done: async () => {} };
  }
  return { kind, stream: rest, done: async () => {} };
}
