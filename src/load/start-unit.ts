import { startAutocannonUnit } from './autocannon-unit.js';
import { startPacedUnit } from './paced-unit.js';
import type { UnitConfig } from './protocol.js';
import type { LoadUnit } from './unit.js';

export function startUnit(cfg: UnitConfig): LoadUnit {
  return cfg.kind === 'autocannon' ? startAutocannonUnit(cfg) : startPacedUnit(cfg);
}
