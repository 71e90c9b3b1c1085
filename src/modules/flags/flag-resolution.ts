import { createHash } from 'node:crypto';
import type { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import type { FlagDefinition } from './flag-catalogue.js';
import { FlagSource, type FeatureFlag } from './flag.types.js';

/** What one level says about a flag. */
export interface FlagSetting {
  enabled: boolean;
  /** null: everyone the level applies to. */
  rolloutPercent: number | null;
}

/**
 * The tenant's bucket for `key`, 0–99: a stable hash of (flag key, tenant id), so a tenant always
 * gets the same answer in every process, and different flags roll out to different tenants.
 */
export function rolloutBucket(key: string, tenantId: string): number {
  return createHash('sha256').update(`${key}\n${tenantId}`).digest().readUInt32BE(0) % 100;
}

/** Tenant override, else plan default, else global default (stored by an operator, else the catalogue's). */
export function resolveFlag(
  definition: FlagDefinition,
  tenant: { id: string; plan: PlanCode },
  stored: { global?: FlagSetting; override?: FlagSetting },
): FeatureFlag {
  const planDefault = definition.planDefaults?.[tenant.plan];
  const [source, setting]: [FlagSource, FlagSetting] = stored.override
    ? [FlagSource.TENANT, stored.override]
    : planDefault !== undefined
      ? [FlagSource.PLAN, { enabled: planDefault, rolloutPercent: null }]
      : [FlagSource.GLOBAL, stored.global ?? { enabled: definition.defaultEnabled, rolloutPercent: null }];
  const inRollout = setting.rolloutPercent === null || rolloutBucket(definition.key, tenant.id) < setting.rolloutPercent;
  return {
    key: definition.key,
    description: definition.description,
    enabled: setting.enabled && inRollout,
    source,
    rolloutPercent: setting.rolloutPercent,
  };
}
