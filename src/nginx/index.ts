/**
 * The nginx stage: find nginx (+ Lua), render nginx.conf, start it with a private prefix in the
 * run directory, find and pin its workers, measure their CPU, stop it — and never leave it behind.
 */
export { findNginx, describeInstallation } from './find.js';
export { renderNginxConf, templateUses, type RenderInput, type TemplateVariables } from './render.js';
export { startNginx, type StartNginxOptions } from './start.js';
export { stopAllNginx, killAllNginxNow, liveNginxCount } from './registry.js';
export { startCpuSampler, summarizeCpu, snapshotCpu, type CpuSampler, type CpuSources, type CpuWindow } from './cpu.js';
export { planPlacement, readUsableCpus, formatCpuList, type Placement } from './placement.js';
export { affinityMasks } from './affinity.js';
export { describeEnvironment } from './environment.js';
export type { ConfigInjection, NginxInstallation, RunningNginx } from './types.js';
export { trackWorkers, type WorkerTracker, type WorkerEvent } from './workers.js';
