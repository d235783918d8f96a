/**
 * The fast parser (fast-parser.ts) relies on autocannon internals that are not its API: the
 * Client's `parser` object, which setupClient replaces and whose kOn* callback slots autocannon
 * fills right after; `pipelinedRequests.peek()`; `conn.cork()/uncork()`. package.json pins
 * autocannon to the version these were read from, and this check runs when the loader starts,
 * so a different autocannon fails at once with a clear error instead of a loader that silently
 * counts no responses.
 */
import { environmentError, FlamebenchError } from '../errors.js';
import { fastParserEnabled, HTTPParser, installFastParser, requireFromAutocannon, type AutocannonClientLike } from './fast-parser.js';

export const E_AUTOCANNON_INTERNALS = 'E_AUTOCANNON_INTERNALS';

const SLOTS = ['kOnHeadersComplete', 'kOnMessageComplete'] as const;

/**
 * What a constructed autocannon Client lacks of what installFastParser relies on ([] = nothing).
 * `adapter` is what installFastParser put in `client.parser` during setupClient (undefined when
 * setupClient was never called).
 */
export function missingPatchPoints(client: unknown, adapter: unknown): string[] {
  const c = (typeof client === 'object' && client !== null ? client : {}) as Partial<Record<string, unknown>>;
  const missing: string[] = [];
  for (const slot of SLOTS) if (typeof HTTPParser[slot] !== 'number') missing.push(`http-parser-js HTTPParser.${slot}`);
  if (adapter === undefined || c.parser !== adapter) {
    missing.push('client.parser replaced in setupClient (autocannon did not call setupClient, or set its parser after it)');
  } else {
    const slots = adapter as Partial<Record<number, unknown>>;
    for (const slot of SLOTS) if (typeof slots[HTTPParser[slot]] !== 'function') missing.push(`client.parser[HTTPParser.${slot}] callback`);
  }
  const queue = c.pipelinedRequests as { peek?: unknown } | undefined;
  if (typeof queue?.peek !== 'function') missing.push('client.pipelinedRequests.peek()');
  const conn = c.conn as { cork?: unknown; uncork?: unknown } | undefined;
  if (typeof conn?.cork !== 'function' || typeof conn.uncork !== 'function') missing.push('client.conn.cork() / uncork()');
  return missing;
}

function autocannonVersion(): string {
  try {
    return (requireFromAutocannon('./package.json') as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

function internalsError(missing: readonly string[]): FlamebenchError {
  return environmentError(
    E_AUTOCANNON_INTERNALS,
    `autocannon ${autocannonVersion()} lacks internals that flamebench's fast response parser patches: ${missing.join('; ')}`,
    'install the autocannon version package.json pins (npm ci); FLAMEBENCH_HTTP_PARSER=autocannon runs with autocannon\'s own, slower parser meanwhile',
    missing,
  );
}

/** Throws E_AUTOCANNON_INTERNALS (exit 3) naming what is missing. */
export function assertPatchPoints(client: unknown, adapter: unknown): void {
  const missing = missingPatchPoints(client, adapter);
  if (missing.length > 0) throw internalsError(missing);
}

type ClientConstructor = new (opts: { socketPath: string; setupClient: (client: AutocannonClientLike) => void }) => { destroy(): void };

let checked = false;

/**
 * Builds one real autocannon Client with the fast parser installed, checks it and destroys it.
 * The Client connects in its constructor: a socket path that cannot exist keeps that off the
 * network, and destroy() (synchronous, before the connect fails) stops its reconnects.
 * Once per process; nothing to check when the fast parser is off.
 */
export function selfCheckFastParser(): void {
  if (checked || !fastParserEnabled()) return;
  let adapter: unknown;
  let client: { destroy(): void } | undefined;
  try {
    const Client = requireFromAutocannon('./lib/httpClient.js') as ClientConstructor;
    client = new Client({
      socketPath: '/nonexistent/flamebench-self-check.sock',
      setupClient: (c) => {
        installFastParser(c);
        adapter = c.parser;
      },
    });
  } catch (e) {
    throw internalsError([`a Client from autocannon/lib/httpClient.js (${e instanceof Error ? e.message : String(e)})`]);
  }
  try {
    assertPatchPoints(client, adapter);
  } finally {
    client.destroy();
  }
  checked = true;
}
