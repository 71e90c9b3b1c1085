import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../../services.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { sampleData, welcomeNotification } from './sample-data.step.js';
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

export const DEFAULT_TENANT_SETTINGS = {
  branding: { logoUrl: null, primaryColor: '#1f6feb', accentColor: '#8250df' },
  notifications: { email: false, slackWebhookUrl: null },
} as const;

const defaultSettings: ProvisioningStepDefinition = {
  name: 'default-settings',
  async run({ tenant }) {
    tenant.settings = { ...DEFAULT_TENANT_SETTINGS, ...tenant.settings };
    return 'COMPLETED';
  },
};

const billingCustomer: ProvisioningStepDefinition = {
  name: 'billing-customer',
  async run({ tenant, services, provisioning }) {
    if (!services.billing) return 'SKIPPED';
    if (tenant.billing.stripeCustomerId) return 'COMPLETED';
    const owner = await services.orm.em.fork().findOneOrFail(User, { id: provisioning.ownerUserId });
    const customer = await services.billing.createCustomer({ tenantId: tenant.id, name: tenant.name, email: owner.email });
    tenant.billing = { ...tenant.billing, stripeCustomerId: customer.id };
    return 'COMPLETED';
  },
};

/** In order: each runs once per sign-up (retries and crash recovery skip the steps already done). */
export const PROVISIONING_STEPS: readonly ProvisioningStepDefinition[] = [defaultSettings, sampleData, billingCustomer, welcomeNotification];
