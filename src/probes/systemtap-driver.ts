import { environmentError } from '../errors.js';
import type { SystemtapProbeSpec } from '../scenario/types.js';
import { systemtapAvailability } from './systemtap.js';
import type { ProbeDriver } from './types.js';

export const systemtapDriver: ProbeDriver<SystemtapProbeSpec> = {
  kind: 'systemtap',
  async check(spec) {
    return systemtapAvailability(spec);
  },
  async start(spec) {
    const a = systemtapAvailability(spec);
    throw environmentError('E_PROBE_UNAVAILABLE', `probe ${spec.id}: ${a.reason ?? 'SystemTap conversion is not wired yet'}`, a.fix ?? '');
  },
};
