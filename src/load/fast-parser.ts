import { createRequire } from 'node:module';
import { ResponseParser } from './http-response-parser.js';

/**
 * autocannon parses responses with http-parser-js and concatenates every body into a string;
 * against nginx that parsing is a large share of the loader's CPU. This adapter has the shape
 * autocannon's Client expects of `client.parser` (execute + the kOn* callback slots it assigns
 * right after setupClient runs) but only frames responses. Bodies are not delivered, so
 * expectBody/verifyBody (which flamebench does not use) would not work with it.
 * These are autocannon internals, not its API: fast-parser-check.ts verifies them when the
 * loader starts, and package.json pins autocannon to the exact version they were read from.
 */

export interface HttpParserConstants {
  kOnHeadersComplete: number;
  kOnMessageComplete: number;
}

/** Resolves modules as autocannon does (its own http-parser-js, its lib/ files). */
export const requireFromAutocannon = createRequire(createRequire(import.meta.url).resolve('autocannon'));
export const { HTTPParser } = requireFromAutocannon('http-parser-js') as { HTTPParser: HttpParserConstants };

/** FLAMEBENCH_HTTP_PARSER=autocannon keeps autocannon's own parser (for comparison benchmarks). */
export function fastParserEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FLAMEBENCH_HTTP_PARSER !== 'autocannon';
}

type Slot = (arg?: unknown) => unknown;

export interface AutocannonClientLike {
  parser: unknown;
  /** The current socket (replaced on reconnect). */
  conn?: { cork(): void; uncork(): void };
  pipelinedRequests: { peek(): { req?: { method?: string } } | undefined };
}

export function installFastParser(client: AutocannonClientLike): ResponseParser {
  // autocannon assigns its callbacks as numbered slots on this object right after setupClient.
  const adapter: Record<number, Slot> & { execute?: (chunk: Buffer) => void } = {};
  const parser = new ResponseParser(
    (status, _bytes, keepAlive) => {
      // shouldKeepAlive as http-parser-js reports it: autocannon-connection.ts ends the connection on false.
      adapter[HTTPParser.kOnHeadersComplete]?.({ statusCode: status, headers: [], shouldKeepAlive: keepAlive });
      adapter[HTTPParser.kOnMessageComplete]?.();
    },
    () => client.pipelinedRequests.peek()?.req?.method?.toUpperCase() === 'HEAD',
  );
  // Every completed response makes autocannon write the next request at once; with pipelining
  // a chunk holds many responses, so cork the socket while parsing it: one writev for all of
  // them instead of one write syscall per request.
  adapter.execute = (chunk: Buffer) => {
    const conn = client.conn;
    conn?.cork();
    try {
      parser.execute(chunk);
    } finally {
      conn?.uncork();
    }
  };
  client.parser = adapter;
  return parser;
}
