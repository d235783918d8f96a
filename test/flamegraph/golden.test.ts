/**
 * Golden SVGs: the renderer is deterministic (colours from names, no clock, no randomness by
 * default), so the same folded input must give the same bytes. A change to the renderer that
 * changes the output shows up here as a diff to look at; when it is intended, bless it:
 *   BLESS=1 npx vitest run test/flamegraph/golden.test.ts
 * rewrites test/fixtures/golden-svg/*.svg (then review them with git diff and commit them).
 * Inputs are FlameGraph's stored collapsed outputs and diff inputs (test/fixtures/flamegraph-perf,
 * test/fixtures/diff-folded: origin and licence in their READMEs) and one small Lua-land profile
 * written here (annotated kernel/JIT/inline frames, LuaJIT VM states, Lua chunk names).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiffSvg, renderSvg } from '../../src/flamegraph/index.js';
import { diffFolded } from '../../src/stacks/diff.js';
import { parseFolded } from '../../src/stacks/folded.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
const GOLDEN = path.join(FIXTURES, 'golden-svg');
const BLESS = process.env.BLESS === '1';

const folded = (rel: string) => parseFolded(readFileSync(path.join(FIXTURES, rel), 'utf8')).stacks;

const LUA_LAND = parseFolded(
  [
    'nginx;ngx_http_lua_content_handler;content_by_lua(nginx.conf:40):3;@/srv/lua/work.lua:12;builtin#string.format 40',
    'nginx;ngx_http_lua_content_handler;content_by_lua(nginx.conf:40):3;@/srv/lua/work.lua:20;ngx.md5;[vm:GC] 7',
    'nginx;ngx_http_lua_content_handler;content_by_lua(nginx.conf:40):3;resty/core/regex.lua:967;TRACE_12_[j] 25',
    'nginx;ngx_epoll_process_events;epoll_wait;entry_SYSCALL_64_[k];do_epoll_wait_[k] 15',
    'nginx;ngx_http_write_filter;writev;[libc.so.6] 6',
    'nginx;ngx_http_parse_request_line_[i] 3',
    'nginx;[unknown] 2',
  ].join('\n'),
).stacks;

const CASES: Array<{ name: string; render: () => string }> = [
  { name: 'perf-dd-kernel', render: () => renderSvg(folded('flamegraph-perf/results/perf-dd-stacks-01-collapsed-kernel.txt'), { title: 'dd (FlameGraph test data)' }) },
  {
    name: 'perf-java-all-hash',
    render: () => renderSvg(folded('flamegraph-perf/results/perf-java-stacks-01-collapsed-all.txt'), { title: 'java', colors: 'java', shade: 'hash', width: 1000, minWidth: 0.5 }),
  },
  { name: 'lua-land-auto', render: () => renderSvg(LUA_LAND, { title: 'on-CPU <C + Lua> & "friends"', subtitle: 'palette auto', countName: 'samples' }) },
  {
    name: 'diff-before-after',
    render: () =>
      renderDiffSvg(diffFolded(folded('diff-folded/before.txt'), folded('diff-folded/after.txt'), { normalize: false, stripHex: true }), {
        title: 'after vs before',
        basis: 'share',
        countName: 'samples',
      }),
  },
];

describe(`golden SVGs (${BLESS ? 'BLESS: rewriting' : 'comparing'} test/fixtures/golden-svg)`, () => {
  it.each(CASES)('$name', ({ name, render }) => {
    const file = path.join(GOLDEN, `${name}.svg`);
    const svg = render();
    // Deterministic: two renders of the same input are the same bytes.
    expect(render()).toBe(svg);
    if (BLESS) writeFileSync(file, svg);
    expect(existsSync(file), `${file} is missing: run BLESS=1 npx vitest run test/flamegraph/golden.test.ts`).toBe(true);
    // Not toMatchFileSnapshot: a missing or stale golden must fail in CI, never be written silently.
    const golden = readFileSync(file, 'utf8');
    if (golden !== svg) {
      const at = [...svg].findIndex((c, i) => c !== golden[i]);
      expect.fail(`${name}.svg differs from its golden at character ${at}: …${svg.slice(Math.max(0, at - 80), at + 80)}… (intended? BLESS=1 npx vitest run test/flamegraph/golden.test.ts)`);
    }
  });
});
