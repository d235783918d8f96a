import { describe, expect, it } from 'vitest';
import { HttpParseError, ResponseParser } from '../../src/load/http-response-parser.js';

function collect(head = false) {
  const got: Array<[number, number, boolean]> = [];
  const p = new ResponseParser((s, b, k) => got.push([s, b, k]), () => head);
  return { p, got };
}

const ok = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

describe('ResponseParser', () => {
  it('frames pipelined Content-Length responses delivered in one chunk', () => {
    const { p, got } = collect();
    p.execute(Buffer.from(ok + ok + 'HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno'));
    expect(got).toEqual([
      [200, ok.length, true],
      [200, ok.length, true],
      [404, 45 + 2, true],
    ]);
  });

  it('handles a response split at every byte', () => {
    const { p, got } = collect();
    const all = Buffer.from(ok + ok);
    for (let i = 0; i < all.length; i++) p.execute(all.subarray(i, i + 1));
    expect(got).toEqual([
      [200, ok.length, true],
      [200, ok.length, true],
    ]);
  });

  it('decodes chunked bodies with trailers', () => {
    const { p, got } = collect();
    const r = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nA;ext=1\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n';
    p.execute(Buffer.from(r.slice(0, 50)));
    expect(got).toEqual([]);
    p.execute(Buffer.from(r.slice(50) + ok));
    expect(got).toEqual([
      [200, r.length, true],
      [200, ok.length, true],
    ]);
  });

  it('knows bodyless responses: 204, 304, HEAD, and skips 100 Continue', () => {
    const a = collect();
    a.p.execute(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n'));
    expect(a.got.map((g) => g[0])).toEqual([204, 304]);
    const h = collect(true);
    h.p.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' + ok.slice(0, 0)));
    expect(h.got).toEqual([[200, 41, true]]);
  });

  it('reads until close without a length, and reports Connection: close', () => {
    const { p, got } = collect();
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc'));
    p.execute(Buffer.from('def'));
    expect(got).toEqual([]);
    p.finish();
    expect(got).toEqual([[200, 44, false]]);
    const c = collect();
    c.p.execute(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'));
    expect(c.got).toEqual([[200, 38, false]]);
  });

  it('throws on garbage', () => {
    const { p } = collect();
    expect(() => p.execute(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(HttpParseError);
  });

  it('reset() from a response callback stops the chunk in progress (its connection was replaced)', () => {
    const got: number[] = [];
    const p: ResponseParser = new ResponseParser((s) => {
      got.push(s);
      if (got.length === 1) p.reset();
    });
    p.execute(Buffer.from(ok + ok + ok));
    expect(got).toEqual([200]);
    p.execute(Buffer.from(ok));
    expect(got).toEqual([200, 200]);
  });
});
