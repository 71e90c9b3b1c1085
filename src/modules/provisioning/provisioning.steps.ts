import { User } from '../../engine/identity/user.entity.js';
import { sampleData, welcomeNotification } from './sample-data.step.js';
import { billingClient } from '../billing/billing-client.js';
import type { ProvisioningStepDefinition } from './provisioning-step.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../notifications/notification-settings.js';

/** Every new tenant's settings; a tenant's own values win over these. */
export const DEFAULT_TENANT_SETTINGS = {
  branding: { logoUrl: null, primaryColor: '#1f6feb', accentColor: '#8250df' },
  notifications: DEFAULT_NOTIFICATION_SETTINGS,
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
    const billing = services.get(billingClient);
    if (!billing) return 'SKIPPED';
    if (tenant.billing.stripeCustomerId) return 'COMPLETED';
    const owner = await services.orm.em.fork().findOneOrFail(User, { id: provisioning.ownerUserId });
    const customer = await billing.createCustomer({ tenantId: tenant.id, name: tenant.name, email: owner.email });
    tenant.billing = { ...tenant.billing, stripeCustomerId: customer.id };
    return 'COMPLETED';
  },
};

/** In order: each runs once per sign-up (retries and crash recovery skip the steps already done). */
export const PROVISIONING_STEPS: readonly ProvisioningStepDefinition[] = [
  defaultSettings,
  sampleData,
  billingCustomer,
  welcomeNotification,
];
