/**
 * The self-check of the autocannon internals the fast parser patches: quiet on the installed
 * (pinned) autocannon, a clear environment error naming what is missing on clients that lack it.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode, FlamebenchError } from '../../src/errors.js';
import {
  assertPatchPoints,
  E_AUTOCANNON_INTERNALS,
  missingPatchPoints,
  selfCheckFastParser,
} from '../../src/load/fast-parser-check.js';
import { HTTPParser, installFastParser, type AutocannonClientLike } from '../../src/load/fast-parser.js';

/** A client shaped as autocannon 9's Client after construction: setupClient ran, then its callbacks were assigned. */
function fakeClient(drop: { slot?: boolean; peek?: boolean; cork?: boolean; replaceParser?: boolean } = {}) {
  const client: AutocannonClientLike & Record<string, unknown> = {
    parser: { execute: () => undefined },
    pipelinedRequests: drop.peek ? {} as AutocannonClientLike['pipelinedRequests'] : { peek: () => undefined },
    conn: drop.cork ? undefined : { cork: () => undefined, uncork: () => undefined },
  };
  installFastParser(client);
  const adapter = client.parser as Record<number, unknown>;
  adapter[HTTPParser.kOnHeadersComplete] = () => undefined;
  if (!drop.slot) adapter[HTTPParser.kOnMessageComplete] = () => undefined;
  if (drop.replaceParser) client.parser = { execute: () => undefined };
  return { client, adapter };
}

function thrown(fn: () => void): FlamebenchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FlamebenchError) return e;
    throw e;
  }
  throw new Error('expected a FlamebenchError');
}

describe('fast parser self-check', () => {
  it('passes on the installed autocannon (a real Client, no connection)', () => {
    expect(() => selfCheckFastParser()).not.toThrow();
  });

  it('passes on a client with every patch point', () => {
    const { client, adapter } = fakeClient();
    expect(missingPatchPoints(client, adapter)).toEqual([]);
  });

  it('fires on a client lacking them, naming each, as an environment error (exit 3)', () => {
    const e = thrown(() => assertPatchPoints({ parser: {} }, undefined));
    expect(e.code).toBe(E_AUTOCANNON_INTERNALS);
    expect(e.exitCode).toBe(ExitCode.environment);
    expect(e.message).toMatch(/^autocannon \d+\.\d+\.\d+ lacks internals that flamebench's fast response parser patches: /);
    expect(e.details).toEqual([
      'client.parser replaced in setupClient (autocannon did not call setupClient, or set its parser after it)',
      'client.pipelinedRequests.peek()',
      'client.conn.cork() / uncork()',
    ]);
    expect(e.hint).toContain('npm ci');
    expect(e.hint).toContain('FLAMEBENCH_HTTP_PARSER=autocannon');
  });

  it('names one missing piece at a time', () => {
    const cases = [
      [{ slot: true }, 'client.parser[HTTPParser.kOnMessageComplete] callback'],
      [{ peek: true }, 'client.pipelinedRequests.peek()'],
      [{ cork: true }, 'client.conn.cork() / uncork()'],
      [{ replaceParser: true }, 'client.parser replaced in setupClient (autocannon did not call setupClient, or set its parser after it)'],
    ] as const;
    for (const [drop, what] of cases) {
      const { client, adapter } = fakeClient(drop);
      expect(missingPatchPoints(client, adapter)).toEqual([what]);
    }
  });
});
