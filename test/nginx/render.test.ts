import { describe, expect, it } from 'vitest';
import { isFlamebenchError } from '../../src/errors.js';
import { runPaths } from '../../src/runs/paths.js';
import { affinityMasks, renderNginxConf, templateUses, type RenderInput } from '../../src/nginx/index.js';
import { templateErrorLine } from '../../src/nginx/render.js';

const paths = runPaths('/runs/r1');
const debian = {
  loadModules: ['/usr/lib/nginx/modules/ndk_http_module.so', '/usr/lib/nginx/modules/ngx_http_lua_module.so'],
  luaModule: true,
};

function input(over: Partial<RenderInput> & { config?: string; configKind?: 'http' | 'full'; workers?: number; variables?: Record<string, unknown> } = {}): RenderInput {
  const { config, configKind, workers, variables, ...rest } = over;
  return {
    openresty: {
      config: config ?? 'server { listen {{host}}:{{port}}; location / { return 200 "{{greeting}}"; } }',
      configKind: configKind ?? 'http',
      configSource: '/s/hello.yaml',
      variables: variables ?? { greeting: 'hi' },
      workers: workers ?? 2,
      mainDirectives: '',
      eventsDirectives: '',
    },
    installation: debian,
    paths,
    port: 8080,
    host: '127.0.0.1',
    nginxCpus: [0, 1],
    injections: [],
    user: 'nobody nogroup',
    openFilesLimit: 20000,
    ...rest,
  };
}

const lines = (conf: string) => conf.split('\n').map((l) => l.trim());

describe('affinityMasks', () => {
  it('gives one mask per worker, round robin, CPU 0 rightmost, equal widths', () => {
    expect(affinityMasks(2, [0, 1])).toEqual(['01', '10']);
    expect(affinityMasks(3, [1, 3])).toEqual(['0010', '1000', '0010']);
    expect(affinityMasks(1, [5])).toEqual(['100000']);
    expect(affinityMasks(4, [])).toEqual([]);
  });
});

describe('renderNginxConf, http kind', () => {
  const conf = renderNginxConf(input());
  const l = lines(conf);

  it('loads ndk before the lua module, before anything else', () => {
    const ndk = l.indexOf('load_module "/usr/lib/nginx/modules/ndk_http_module.so";');
    const lua = l.indexOf('load_module "/usr/lib/nginx/modules/ngx_http_lua_module.so";');
    expect(ndk).toBeGreaterThan(-1);
    expect(lua).toBe(ndk + 1);
    expect(l.findIndex((x) => /^(worker_processes|events|http)\b/.test(x))).toBeGreaterThan(lua);
  });

  it('writes the harness main context', () => {
    for (const want of [
      'daemon off;',
      'master_process on;',
      'user nobody nogroup;',
      'worker_processes 2;',
      'worker_cpu_affinity 01 10;',
      'pid "/runs/r1/nginx/prefix/nginx.pid";',
      'error_log "/runs/r1/nginx/error.log" warn;',
      'worker_rlimit_nofile 20000;',
    ]) {
      expect(l).toContain(want);
    }
  });

  it('keeps temp paths and the Lua path inside the prefix', () => {
    for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      expect(l).toContain(`${temp}_temp_path "/runs/r1/nginx/prefix/${temp}_temp";`);
    }
    expect(l).toContain('lua_package_path "/runs/r1/nginx/prefix/?.lua;/runs/r1/nginx/prefix/lua/?.lua;;";');
    expect(l).toContain('access_log off;');
  });

  it('puts the rendered template inside http {} with port, host and scenario variables', () => {
    const http = conf.indexOf('\nhttp {');
    const server = conf.indexOf('server { listen 127.0.0.1:8080; location / { return 200 "hi"; } }');
    expect(http).toBeGreaterThan(-1);
    expect(server).toBeGreaterThan(http);
    expect(conf.trimEnd().endsWith('}')).toBe(true);
    expect(l).toContain('worker_connections 4096;');
    expect(conf.indexOf('events {')).toBeLessThan(http);
  });

  it('adds the probes’ injections to main and http, in order', () => {
    const c = renderNginxConf(
      input({
        injections: [
          { main: ['env FLAMEBENCH_A;'], http: ['lua_shared_dict fb_a 1m;'] },
          { main: [], http: ['init_worker_by_lua_block { local x = 1 }'] },
        ],
      }),
    );
    const cl = lines(c);
    const env = cl.indexOf('env FLAMEBENCH_A;');
    expect(env).toBeGreaterThan(cl.indexOf('worker_processes 2;'));
    expect(env).toBeLessThan(cl.indexOf('http {'));
    const dict = cl.indexOf('lua_shared_dict fb_a 1m;');
    expect(dict).toBeGreaterThan(cl.indexOf('http {'));
    expect(cl.indexOf('init_worker_by_lua_block { local x = 1 }')).toBe(dict + 1);
  });

  it('omits what does not apply: no user as non-root, no affinity when not pinned, no Lua path without Lua', () => {
    const c = lines(renderNginxConf(input({ user: null, nginxCpus: [], installation: { loadModules: [], luaModule: false } })));
    expect(c.some((x) => x.startsWith('user '))).toBe(false);
    expect(c.some((x) => x.startsWith('worker_cpu_affinity'))).toBe(false);
    expect(c.some((x) => x.startsWith('lua_package_path'))).toBe(false);
    expect(c.some((x) => x.startsWith('load_module'))).toBe(false);
  });

  it('leaves directives the template or scenario set itself to them', () => {
    const c = renderNginxConf({
      ...input({ config: 'access_log {{accessLog}};\nlua_package_path "/x/?.lua;;";\nserver { listen {{port}}; }' }),
      openresty: {
        ...input().openresty,
        config: 'access_log {{accessLog}};\nlua_package_path "/x/?.lua;;";\nserver { listen {{port}}; }',
        mainDirectives: 'worker_rlimit_nofile 1024;\nenv FOO;\nuser www-data;',
        eventsDirectives: 'worker_connections 512;\nmulti_accept on;',
      },
    });
    const cl = lines(c);
    expect(cl.filter((x) => x.startsWith('lua_package_path'))).toEqual(['lua_package_path "/x/?.lua;;";']);
    expect(cl).not.toContain('access_log off;');
    expect(cl).toContain('access_log /runs/r1/nginx/access.log;');
    expect(cl.filter((x) => x.startsWith('worker_rlimit_nofile'))).toEqual(['worker_rlimit_nofile 1024;']);
    expect(cl.filter((x) => x.startsWith('worker_connections'))).toEqual(['worker_connections 512;']);
    expect(cl).toContain('multi_accept on;');
    expect(cl).toContain('env FOO;');
    expect(cl.filter((x) => x.startsWith('user '))).toEqual(['user www-data;']);
    expect(cl).toContain('worker_processes 2;');
  });

  it('is deterministic', () => {
    expect(renderNginxConf(input())).toBe(renderNginxConf(input()));
  });

  it('gives a listen address, bracketed for IPv6', () => {
    expect(renderNginxConf(input({ config: 'listen {{listen}};' }))).toContain('listen 127.0.0.1:8080;');
    expect(renderNginxConf(input({ config: 'listen {{listen}};', host: '::1' }))).toContain('listen [::1]:8080;');
  });

  it('gives upstreamPort, prefix and helpers to the template', () => {
    const c = renderNginxConf(
      input({
        config: 'upstream b { server {{host}}:{{upstreamPort}}; }\n# {{prefix}} {{json greeting}} {{add port 1}}',
        upstreamPort: 9090,
      }),
    );
    expect(c).toContain('upstream b { server 127.0.0.1:9090; }');
    expect(c).toContain('# /runs/r1/nginx/prefix "hi" 8081');
    expect(templateUses('x {{ upstreamPort }} y', 'upstreamPort')).toBe(true);
    expect(templateUses('upstreamPort {{port}}', 'upstreamPort')).toBe(false);
  });
});

describe('renderNginxConf, full kind', () => {
  const full = [
    'worker_processes 3;',
    'events {',
    '    worker_connections 128;',
    '}',
    'http {',
    '    server { listen {{port}}; }',
    '}',
  ].join('\n');

  it('adds the harness lines the template does not set, and injections after http {', () => {
    const c = renderNginxConf(input({ config: full, configKind: 'full', injections: [{ main: ['env X;'], http: ['lua_shared_dict d 1m;'] }] }));
    const cl = lines(c);
    expect(cl.filter((x) => x.startsWith('worker_processes'))).toEqual(['worker_processes 3;']);
    expect(cl.filter((x) => x.startsWith('events'))).toHaveLength(1);
    expect(cl).toContain('load_module "/usr/lib/nginx/modules/ndk_http_module.so";');
    expect(cl).toContain('pid "/runs/r1/nginx/prefix/nginx.pid";');
    expect(cl).toContain('env X;');
    expect(cl).toContain('server { listen 8080; }');
    const http = cl.indexOf('http {');
    expect(cl.indexOf('lua_shared_dict d 1m;')).toBeGreaterThan(http);
    expect(cl.indexOf('lua_shared_dict d 1m;')).toBeLessThan(cl.indexOf('server { listen 8080; }'));
    expect(cl.indexOf('load_module "/usr/lib/nginx/modules/ndk_http_module.so";')).toBeLessThan(cl.indexOf('worker_processes 3;'));
  });

  it('lets the template place the harness lines itself', () => {
    const c = renderNginxConf(
      input({ configKind: 'full', config: '{{{harness.main}}}\nevents {\n{{{harness.events}}}\n}\nhttp {\n{{{harness.http}}}\nserver { listen {{port}}; }\n}' }),
    );
    const cl = lines(c);
    expect(cl.filter((x) => x === 'worker_processes 2;')).toHaveLength(1);
    expect(cl.filter((x) => x.startsWith('client_body_temp_path'))).toHaveLength(1);
    expect(cl.filter((x) => x.startsWith('events {'))).toHaveLength(1);
  });

  it('adds an events block when the template has none', () => {
    const c = renderNginxConf(input({ configKind: 'full', config: 'http {\n  server { listen {{port}}; }\n}' }));
    expect(lines(c)).toContain('worker_connections 4096;');
  });

  it('rejects a full template without http {} when there is something to inject', () => {
    expect(() => renderNginxConf(input({ configKind: 'full', config: 'events {}' }))).toThrow(/http \{ \} block/);
  });
});

describe('template errors', () => {
  function errorOf(config: string) {
    try {
      renderNginxConf(input({ config }));
    } catch (e) {
      if (isFlamebenchError(e)) return e;
      throw e;
    }
    throw new Error('no error');
  }

  it('names the source and line of an unknown variable', () => {
    const e = errorOf('server {\n  listen {{port}};\n  return 200 "{{greting}}";\n}');
    expect(e.kind).toBe('invalidInput');
    expect(e.code).toBe('E_TEMPLATE');
    expect(e.message).toContain('/s/hello.yaml');
    expect(e.message).toContain('line 3');
    expect(e.message).toContain('greting');
    expect(e.details[0]).toBe('3 |   return 200 "{{greting}}";');
  });

  it('names the line of a syntax error', () => {
    const e = errorOf('a\nb\nc {{#if x}\n');
    expect(e.message).toMatch(/line 3/);
    expect(e.message).toContain('Parse error');
  });

  it('parses both handlebars line formats', () => {
    expect(templateErrorLine('Parse error on line 7:\n...')).toBe(7);
    expect(templateErrorLine('"x" not defined in [object Object] - 4:12')).toBe(4);
    expect(templateErrorLine('something else')).toBeNull();
  });
});
