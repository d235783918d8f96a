import { createReadStream } from 'node:fs';
import path from 'node:path';
import { environmentError, runFailed } from '../errors.js';
import type { SystemtapProbeSpec } from '../scenario/types.js';
import { addStack, type Folded } from '../stacks/folded.js';
import { collapseStapStream } from '../stacks/stap.js';
import { luaSourceReader } from '../stacks/lua-sources.js';
import { writeProbeOutput } from './output.js';
import { lastLines, spawnRecorder, type Recorder } from './recorder-process.js';
import { systemtapArgs, systemtapAvailability } from './systemtap.js';
import type { ProbeDriver } from './types.js';

/** stap compiles its module before it traces: that takes tens of seconds. */
const STAP_READY_TIMEOUT_MS = 180_000;

export const systemtapDriver: ProbeDriver<SystemtapProbeSpec> = {
  kind: 'systemtap',
  async check(spec) {
    return systemtapAvailability(spec);
  },
  async start(spec, nginx, paths) {
    const a = systemtapAvailability(spec);
    if (!a.available) throw environmentError('E_PROBE_UNAVAILABLE', `probe ${spec.id}: ${a.reason ?? 'SystemTap is unavailable'}`, a.fix ?? '');
    // the toolkit traces one process per run: one stap per worker
    const runs: Array<{ pid: number; rec: Recorder; out: string }> = [];
    try {
      for (const pid of nginx.workerPids) {
        const { cmd, args } = systemtapArgs(spec, pid);
        const out = path.join(paths.rawDir, `${spec.id}-${pid}.stap.txt`);
        const rec = await spawnRecorder(cmd, args, { label: `probe ${spec.id} (${spec.tool} -p ${pid})`, stdoutFile: out, readyText: 'Tracing', readyTimeoutMs: STAP_READY_TIMEOUT_MS });
        runs.push({ pid, rec, out });
      }
    } catch (e) {
      await Promise.all(runs.map((r) => r.rec.kill()));
      throw e;
    }
    const offCpu = spec.tool === 'sample-bt-off-cpu';
    return {
      recorderPids: () => runs.filter((r) => !r.rec.exited()).map((r) => r.rec.pid),
      abort: async () => {
        await Promise.all(runs.map((r) => r.rec.kill()));
      },
      async stop() {
        await Promise.all(runs.map((r) => r.rec.stop(60_000)));
        const stacks: Folded = new Map();
        const warnings: string[] = [];
        let skipped = 0;
        const examples: string[] = [];
        let count = 0;
        for (const r of runs) {
          const fix = spec.tool === 'ngx-sample-lua-bt' ? { fixLuaBt: luaSourceReader(spec.luaSourceRoot) } : {};
          const res = await collapseStapStream(createReadStream(r.out), fix);
          if (res.report.stacks === 0) warnings.push(`${spec.tool} -p ${r.pid} printed no stacks: ${lastLines(r.rec.stderr(), 2)}`);
          if (res.report.unresolvedLua > 0) warnings.push(`${res.report.unresolvedLua} Lua frame(s) not resolved by fix-lua-bt (set luaSourceRoot)`);
          skipped += res.report.skipped;
          examples.push(...res.report.examples);
          for (const [k, v] of res.stacks) {
            addStack(stacks, k, v);
            count += v;
          }
        }
        if (runs.every((r) => r.rec.stderr().includes('ERROR'))) {
          throw runFailed('E_PROBE_RECORD', `probe ${spec.id}: ${lastLines(runs[0]?.rec.stderr() ?? '')}`, 'see the stap error above');
        }
        return writeProbeOutput(paths, stacks, {
          id: spec.id,
          kind: spec.kind,
          // sample-bt-off-cpu sums µs off CPU per stack; the others count samples
          unit: offCpu ? 'microseconds' : 'samples',
          frequencyHz: null,
          pids: runs.map((r) => r.pid),
          sampleCount: count,
          report: { skipped, examples },
          truncated: false,
          warnings,
          extra: { tool: spec.tool, toolkitDir: spec.toolkitDir },
        });
      },
    };
  },
};
