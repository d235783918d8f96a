import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * Test files that need what the quick suite must not: root, nginx, perf/bpftrace, Chromium, or
 * real load whose timing a busy machine bends; and the slow ones that run `flamebench` as a
 * process through tsx (~1 s of CPU per process). Only `npm test` runs them. A file missing from
 * this list runs in both suites; test/helpers/unit-guard.ts makes it fail here, naming the
 * tool, if it starts one — so an integration test cannot hide in the quick suite, and no test
 * can drop out of `npm test` (which runs every test/**\/*.test.ts).
 */
export const INTEGRATION_FILES = [
  'test/api/consumer.test.ts', // npm install of a consumer package, tsc
  'test/cli/collapse.test.ts', // real perf record → perf.data round trip
  'test/cli/render-flags.test.ts', // CLI processes
  'test/cli/run-ci.test.ts', // nginx, whole runs without a TTY
  'test/cli/variant-root.test.ts', // whole runs on real nginx through the CLI
  'test/compare/real-cli.test.ts', // real A/A and A/B series through the CLI
  'test/flamegraph/browser.test.ts', // Chromium
  'test/flamegraph/cli.test.ts', // CLI processes in shell pipelines
  'test/flamegraph/viewer.test.ts', // Chromium
  'test/k8s/loader-manifests.test.ts', // a CLI process
  'test/load/distributed-netns.test.ts', // root, network namespaces, nginx, whole runs
  'test/load/distributed-ssh.test.ts', // root, network namespaces, sshd, nginx
  'test/load/rate.test.ts', // real load, timing-sensitive
  'test/load/run-load.test.ts', // nginx
  'test/load/server-closes.test.ts', // nginx closing connections, latency vs Little's law
  'test/luajit/luajit.test.ts', // nginx -V, ldd, the profiling build
  'test/nginx/find.test.ts', // nginx -V
  'test/nginx/luajit-noise.real.test.ts', // nginx with the lua probe
  'test/nginx/port-busy.test.ts', // nginx
  'test/nginx/start.test.ts', // nginx, root
  'test/orchestrator/connection-limits.test.ts', // nginx, prlimit
  'test/orchestrator/empty-window.test.ts', // whole runs
  'test/orchestrator/faults.test.ts', // nginx, perf, real signals, tmpfs mounts
  'test/orchestrator/loader-killed.test.ts', // whole runs
  'test/orchestrator/run.integration.test.ts', // whole runs
  'test/probes/bpftrace.test.ts', // nginx, bpftrace, root
  'test/probes/doctor.test.ts', // probes this machine's tools and privileges
  'test/probes/jit-names.test.ts', // whole runs with perf and the profiling LuaJIT
  'test/probes/lua.test.ts', // nginx
  'test/probes/perf.test.ts', // nginx, perf, root
  'test/report/browser.test.ts', // Chromium
  'test/report/cli.test.ts', // CLI processes
  'test/report/real-run.test.ts', // nginx, Chromium
  'test/scenario/cli.test.ts', // CLI processes
];

/** `npm run test:unit`: no root, no apt, no nginx/perf/Chromium; files run side by side. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['**/node_modules/**', ...INTEGRATION_FILES],
      setupFiles: ['test/helpers/unit-guard.ts'],
      // No CPU pinning or CPU-per-request measurement in these files: they may share the cores.
      fileParallelism: true,
    },
  }),
);
