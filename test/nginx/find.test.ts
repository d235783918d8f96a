import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { describeInstallation, describeEnvironment, findNginx } from '../../src/nginx/index.js';
import { cpuModel } from '../../src/nginx/environment.js';

const OPENRESTY_V = `nginx version: openresty/1.25.3.1
built with OpenSSL 3.0.2 15 Mar 2022
configure arguments: --prefix=/usr/local/openresty/nginx --with-cc-opt=-O2 --add-module=../ngx_devel_kit-0.3.3 --add-module=../echo-nginx-module-0.63 --add-module=../ngx_lua-0.10.26 --add-module=../ngx_lua_upstream-0.07 --with-stream`;
const DEBIAN_V = `nginx version: nginx/1.22.1
configure arguments: --with-cc-opt='-g -O2' --prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf --modules-path=/usr/lib/nginx/modules --with-compat`;

describe('describeInstallation (pure)', () => {
  it('sees Lua compiled into openresty: no load_module lines', () => {
    const inst = describeInstallation('/usr/local/openresty/bin/openresty', OPENRESTY_V, () => false);
    expect(inst).toMatchObject({ flavour: 'openresty', luaModule: true, loadModules: [] });
  });

  it('loads ndk then lua from --modules-path for Debian nginx', () => {
    const files = new Set(['/usr/lib/nginx/modules/ndk_http_module.so', '/usr/lib/nginx/modules/ngx_http_lua_module.so']);
    const inst = describeInstallation('/usr/sbin/nginx', DEBIAN_V, (p) => files.has(p));
    expect(inst).toMatchObject({
      flavour: 'nginx',
      luaModule: true,
      loadModules: ['/usr/lib/nginx/modules/ndk_http_module.so', '/usr/lib/nginx/modules/ngx_http_lua_module.so'],
    });
  });

  it('reports an nginx without Lua as such', () => {
    expect(describeInstallation('/usr/sbin/nginx', DEBIAN_V, () => false)).toMatchObject({ luaModule: false, loadModules: [] });
  });
});

describe('findNginx (real)', () => {
  it('finds this machine’s nginx with the Lua module and captures nginx -V', async () => {
    const inst = await findNginx('auto');
    expect(existsSync(inst.binary)).toBe(true);
    expect(inst.version).toMatch(/nginx version: (nginx|openresty)\//);
    expect(inst.version).toContain('configure arguments:');
    expect(inst.luaModule).toBe(true);
    for (const m of inst.loadModules) expect(existsSync(m)).toBe(true);
    if (inst.loadModules.length === 2) expect(inst.loadModules[0]).toMatch(/ndk_http_module\.so$/);
  });

  it('accepts an explicit binary and rejects a missing one with E_NO_NGINX', async () => {
    const auto = await findNginx('auto');
    expect((await findNginx(auto.binary)).binary).toBe(auto.binary);
    const err = await findNginx('/nonexistent/nginx').catch((e: unknown) => e);
    expect(isFlamebenchError(err) && err.code).toBe('E_NO_NGINX');
    expect(isFlamebenchError(err) && err.kind).toBe('environment');
    expect(isFlamebenchError(err) && err.hint).toMatch(/npm run bootstrap/);
  });
});

describe('describeEnvironment', () => {
  it('records kernel, CPU, cores, tool versions', async () => {
    const env = await describeEnvironment(await findNginx('auto'));
    expect(env.kernel).toMatch(/^\d+\.\d+/);
    expect(env.cores).toBeGreaterThan(0);
    expect(env.cpuModel.length).toBeGreaterThan(0);
    expect(env.node).toBe(process.version);
    expect(env.autocannon).toMatch(/^\d+\./);
    expect(env.nginxVersion).toContain('nginx version');
    if (existsSync('/usr/bin/perf')) expect(env.perf).toMatch(/perf version/);
  });

  it('reads the CPU model on x86 and arm', () => {
    expect(cpuModel('processor\t: 0\nmodel name\t: AMD EPYC 7B13\n')).toBe('AMD EPYC 7B13');
    expect(cpuModel('processor : 0\nModel : Raspberry Pi 4\n')).toBe('Raspberry Pi 4');
    expect(cpuModel('')).toBeNull();
  });
});
