/**
 * Incremental HTTP/1.1 response parser, just enough for a load generator: status code, framing
 * (Content-Length, chunked, read-until-close) and byte counts. No header objects and no body
 * copies, because per-response parsing cost is what limits a JavaScript loader against nginx.
 */

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const MAX_HEAD_BYTES = 64 * 1024;

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  ChunkTrailer,
  UntilClose,
}

export class HttpParseError extends Error {}

export type OnResponse = (status: number, bytes: number, keepAlive: boolean) => void;

export class ResponseParser {
  private state = State.Head;
  private pending: Buffer | null = null;
  private remaining = 0;
  private status = 0;
  private bytes = 0;
  private keepAlive = true;
  /** Bumped by reset(): an execute() in progress stops (its connection was replaced mid-chunk). */
  private epoch = 0;

  /** `bodyless()` is asked per response: true when the request was HEAD. */
  constructor(
    private readonly onResponse: OnResponse,
    private readonly bodyless: () => boolean = () => false,
  ) {}

  /** Bytes are parsed; completed responses are reported through onResponse. Throws HttpParseError. */
  execute(chunk: Buffer): void {
    let data = chunk;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let off = 0;
    const len = data.length;
    const epoch = this.epoch;
    while (off < len && epoch === this.epoch) {
      switch (this.state) {
        case State.Head: {
          const end = this.through(data, off, CRLFCRLF);
          if (end < 0) return;
          this.parseHead(data.toString('latin1', off, end - 4));
          off = end;
          break;
        }
        case State.Body:
        case State.ChunkData: {
          const n = Math.min(this.remaining, len - off);
          off += n;
          this.bytes += n;
          this.remaining -= n;
          if (this.remaining > 0) break;
          if (this.state === State.Body) this.complete();
          else this.state = State.ChunkSize;
          break;
        }
        case State.ChunkSize: {
          const end = this.through(data, off, CRLF);
          if (end < 0) return;
          const line = data.toString('latin1', off, end - 2);
          const size = parseInt(line, 16);
          if (!Number.isFinite(size) || size < 0) throw new HttpParseError(`bad chunk size line: ${JSON.stringify(line)}`);
          off = end;
          if (size === 0) this.state = State.ChunkTrailer;
          else {
            this.remaining = size + 2; // data and its CRLF
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkTrailer: {
          const end = this.through(data, off, CRLF);
          if (end < 0) return;
          const empty = end === off + 2;
          off = end;
          if (empty) this.complete();
          break;
        }
        case State.UntilClose:
          this.bytes += len - off;
          off = len;
          break;
      }
    }
  }

  /** The connection ended: a read-until-close body is complete now. */
  finish(): void {
    if (this.state === State.UntilClose) this.complete();
  }

  /** True while a response has started but not completed. */
  get midResponse(): boolean {
    return this.state !== State.Head || this.pending !== null;
  }

  reset(): void {
    this.epoch++;
    this.state = State.Head;
    this.pending = null;
    this.bytes = 0;
    this.remaining = 0;
  }

  /**
   * The offset just past the next `delim` from `off`, its bytes counted; -1 when it has not
   * arrived yet, and the rest of `data` is kept for the next chunk.
   */
  private through(data: Buffer, off: number, delim: Buffer): number {
    const at = data.indexOf(delim, off);
    if (at < 0) {
      this.keep(data, off);
      return -1;
    }
    const end = at + delim.length;
    this.bytes += end - off;
    return end;
  }

  private keep(data: Buffer, off: number): void {
    this.pending = Buffer.from(data.subarray(off));
    if (this.pending.length > MAX_HEAD_BYTES) throw new HttpParseError('response head larger than 64 KiB');
  }

  private parseHead(head: string): void {
    if (!head.startsWith('HTTP/1.')) throw new HttpParseError(`not an HTTP/1.x response: ${JSON.stringify(head.slice(0, 40))}`);
    const status = parseInt(head.slice(9, 12), 10);
    if (!Number.isFinite(status)) throw new HttpParseError(`bad status line: ${JSON.stringify(head.split('\r\n')[0])}`);
    this.status = status;
    if (status >= 100 && status < 200) {
      // Interim response (100 Continue): its head is counted, the final response follows.
      return;
    }
    const http10 = head.charCodeAt(7) === 48; // 'HTTP/1.0'
    const connection = /\r\nconnection:[ \t]*([^\r]*)/i.exec(head)?.[1]?.toLowerCase() ?? '';
    this.keepAlive = http10 ? connection.includes('keep-alive') : !connection.includes('close');
    if (status === 204 || status === 304 || this.bodyless()) {
      this.complete();
      return;
    }
    if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
      this.state = State.ChunkSize;
      return;
    }
    const cl = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
    if (cl?.[1] !== undefined) {
      this.remaining = Number(cl[1]);
      if (this.remaining === 0) this.complete();
      else this.state = State.Body;
      return;
    }
    this.keepAlive = false;
    this.state = State.UntilClose;
  }

  private complete(): void {
    const { status, bytes, keepAlive } = this;
    this.state = State.Head;
    this.bytes = 0;
    this.remaining = 0;
    this.keepAlive = true;
    this.onResponse(status, bytes, keepAlive);
  }
}
