import { describe, expect, it } from 'vitest';
import { encodeFrame, frameReader } from '../../src/load/frame.js';

describe('loader protocol framing (JSON lines)', () => {
  it('reassembles messages split anywhere across chunks, several per chunk', () => {
    const msgs = [{ type: 'ready', protocol: 2 }, { type: 'tick', text: 'a\nb' }, { type: 'stopped' }];
    const bytes = msgs.map(encodeFrame).join('');
    for (const size of [1, 3, 7, bytes.length]) {
      const r = frameReader();
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length; i += size) out.push(...r.push(bytes.slice(i, i + size)));
      expect(out).toEqual(msgs);
      expect(r.pending()).toBe(0);
    }
  });

  it('refuses a line that is not a message (a login banner on stdout), naming it', () => {
    expect(() => frameReader().push('Welcome to loader1\n')).toThrow(/not a loader message: "Welcome to loader1"/);
  });

  it('keeps a partial message pending', () => {
    const r = frameReader();
    expect(r.push('{"type":"rea')).toEqual([]);
    expect(r.pending()).toBe(12);
  });
});
