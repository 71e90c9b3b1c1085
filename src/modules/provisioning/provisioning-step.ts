import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../../engine/services.js';
import type { Tenant } from '../../engine/tenancy/tenant.entity.js';
import type { Provisioning } from './provisioning.entity.js';

export interface StepContext {
  /** Scoped to the new tenant (filter + RLS), in the transaction that also records the step done. */
  em: EntityManager;
  tenant: Tenant;
  provisioning: Provisioning;
  services: AppServices;
}

export type StepOutcome = 'COMPLETED' | 'SKIPPED';

/** A named step. Running it again after a crash or a retry must not duplicate anything. */
export interface ProvisioningStepDefinition {
  name: string;
  run(context: StepContext): Promise<StepOutcome>;
}
