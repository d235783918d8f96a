/**
 * The loader protocol framed for a byte stream (stdin/stdout of `flamebench loader`, through ssh,
 * kubectl exec or ip netns exec): one JSON message per line. JSON.stringify never emits a raw
 * newline, so a line is a message. Pure: bytes in, messages out.
 */
export function encodeFrame(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

export interface FrameReader {
  /** Feeds a chunk; returns the complete messages it finished. Throws on a line that is not JSON. */
  push(chunk: string): unknown[];
  /** Bytes waiting for their newline (a channel that ends here lost a partial message). */
  pending(): number;
}

/** Lines longer than this are not a loader message: a banner or a shell's noise on stdout. */
const MAX_LINE = 64 * 1024 * 1024;

export function frameReader(): FrameReader {
  let buffered = '';
  return {
    push(chunk: string): unknown[] {
      buffered += chunk;
      const out: unknown[] = [];
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) {
          try {
            out.push(JSON.parse(line));
          } catch {
            throw new Error(`not a loader message: ${JSON.stringify(line.slice(0, 120))}`);
          }
        }
        nl = buffered.indexOf('\n');
      }
      if (buffered.length > MAX_LINE) throw new Error(`a loader message longer than ${MAX_LINE} bytes`);
      return out;
    },
    pending: () => buffered.length,
  };
}
