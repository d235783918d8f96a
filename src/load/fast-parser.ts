import { createRequire } from 'node:module';
import { ResponseParser } from './http-response-parser.js';

/**
 * autocannon parses responses with http-parser-js and concatenates every body into a string;
 * against nginx that parsing is a large share of the loader's CPU. This adapter has the shape
 * autocannon's Client expects of `client.parser` (execute + the kOn* callback slots it assigns
 * right after setupClient runs) but only frames responses. Bodies are not delivered, so
 * expectBody/verifyBody (which flamebench does not use) would not work with it.
 */

interface HttpParserConstants {
  kOnHeadersComplete: number;
  kOnMessageComplete: number;
}

const requireFromAutocannon = createRequire(createRequire(import.meta.url).resolve('autocannon'));
const { HTTPParser } = requireFromAutocannon('http-parser-js') as { HTTPParser: HttpParserConstants };

type Slot = (arg?: unknown) => unknown;

export interface AutocannonClientLike {
  parser: unknown;
  pipelinedRequests: { peek(): { req?: { method?: string } } | undefined };
}

export function installFastParser(client: AutocannonClientLike): ResponseParser {
  // autocannon assigns its callbacks as numbered slots on this object right after setupClient.
  const adapter: Record<number, Slot> & { execute?: (chunk: Buffer) => void } = {};
  const parser = new ResponseParser(
    (status) => {
      adapter[HTTPParser.kOnHeadersComplete]?.({ statusCode: status, headers: [] });
      adapter[HTTPParser.kOnMessageComplete]?.();
    },
    () => client.pipelinedRequests.peek()?.req?.method?.toUpperCase() === 'HEAD',
  );
  adapter.execute = (chunk: Buffer) => parser.execute(chunk);
  client.parser = adapter;
  return parser;
}
