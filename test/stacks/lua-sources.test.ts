import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLuaBtFixer } from '../../src/stacks/lua-bt.js';
import { luaSourceCandidates, luaSourceReader } from '../../src/stacks/lua-sources.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'fb-lua-src-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('one Lua source reader (collapse stap --lua-root and the systemtap probe)', () => {
  it('looks under the root: printed path, after /lib/, with lib/, the file name; then the absolute path', () => {
    expect(luaSourceCandidates('/opt/site/lib/resty/core/base.lua', '/srv')).toEqual([
      '/srv/opt/site/lib/resty/core/base.lua',
      '/srv/resty/core/base.lua',
      '/srv/lib/resty/core/base.lua',
      '/srv/base.lua',
      '/opt/site/lib/resty/core/base.lua',
    ]);
    expect(luaSourceCandidates('work.lua', undefined)).toEqual(['work.lua']);
  });

  it('names a frame from a source found under /lib/ the same way for every caller (was: the probe looked only at root/path)', () => {
    mkdirSync(path.join(root, 'app'), { recursive: true });
    writeFileSync(path.join(root, 'app', 'work.lua'), 'local M = {}\nlocal function handle()\n  return 1\nend\nreturn M\n');
    const fixer = createLuaBtFixer(luaSourceReader(root));
    expect(fixer.fix('@/opt/site/lib/app/work.lua:2')).toEqual({ line: 'app.work:handle' });
  });
});
