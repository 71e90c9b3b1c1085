import { registerEnumType } from 'type-graphql';
import type { Config } from '../../engine/config.js';
import { PlanCode, TenantStatus } from '../../engine/tenancy/tenant.enums.js';
import type { Tenant } from '../../engine/tenancy/tenant.entity.js';
import type { SubscriptionState } from './billing-client.js';

export enum BillingStatus {
  TRIALING = 'TRIALING',
  ACTIVE = 'ACTIVE',
  PAST_DUE = 'PAST_DUE',
  CANCELED = 'CANCELED',
}
registerEnumType(BillingStatus, {
  name: 'BillingStatus',
  description: "The state of the tenant's subscription.",
  valuesConfig: {
    TRIALING: { description: 'In the free trial (see Billing.trialEndsAt); nothing charged yet.' },
    ACTIVE: { description: 'Paid up (or on the free plan).' },
    PAST_DUE: { description: 'A payment failed; the tenant is suspended if it stays unpaid past the grace period.' },
    CANCELED: { description: 'The subscription was canceled; the tenant is back on FREE.' },
  },
});

/** Why a tenant was suspended by billing (and may therefore be restored by a payment). */
export const PAYMENT_OVERDUE = 'Payment overdue';

/**
 * The billing part of a tenant row (`tenants.billing`, JSON of strings): the Stripe customer and
 * subscription as last read from Stripe, and since when a payment is overdue.
 */
export interface BillingState {
  stripeCustomerId?: string;
  subscriptionId?: string;
  subscriptionStatus?: string;
  currentPeriodEnd?: string;
  pastDueSince?: string;
}

export function billingStateOf(tenant: Pick<Tenant, 'billing'>): BillingState {
  return tenant.billing as BillingState;
}

function write(tenant: Tenant, change: Partial<Record<keyof BillingState, string | undefined>>): void {
  const next: Record<string, string> = { ...tenant.billing };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  tenant.billing = next;
}

export function planOfPrice(prices: Config['billing']['prices'], priceId: string | null): PlanCode | null {
  if (priceId === prices.PRO) return PlanCode.PRO;
  if (priceId === prices.ENTERPRISE) return PlanCode.ENTERPRISE;
  return null;
}

const PAYING = new Set(['active', 'trialing', 'past_due']);

/**
 * Applies a subscription as Stripe reports it now: its price decides the plan while it is paid
 * for; a canceled or expired one falls back to FREE (data is kept: only new creations beyond
 * FREE's limits are refused). Returns whether the plan changed.
 */
export function applySubscription(tenant: Tenant, subscription: SubscriptionState, prices: Config['billing']['prices']): boolean {
  const before = tenant.plan;
  write(tenant, {
    subscriptionId: subscription.id,
    subscriptionStatus: subscription.status,
    currentPeriodEnd: subscription.currentPeriodEnd?.toISOString(),
  });
  if (PAYING.has(subscription.status)) tenant.plan = planOfPrice(prices, subscription.priceId) ?? tenant.plan;
  else if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') tenant.plan = PlanCode.FREE;
  if (subscription.status === 'active' || subscription.status === 'trialing') markPaid(tenant);
  else if (subscription.status === 'past_due' || subscription.status === 'unpaid') markPastDue(tenant, new Date());
  return tenant.plan !== before;
}

/** A payment went through: nothing is overdue, and a suspension for non-payment is lifted. */
export function markPaid(tenant: Tenant): void {
  write(tenant, { pastDueSince: undefined });
  if (tenant.status === TenantStatus.SUSPENDED && tenant.statusReason === PAYMENT_OVERDUE) {
    tenant.status = TenantStatus.ACTIVE;
    tenant.statusReason = undefined;
  }
}

/** A payment failed: overdue since the first failure (later failures do not restart the grace period). */
export function markPastDue(tenant: Tenant, at: Date): Date {
  const since = billingStateOf(tenant).pastDueSince;
  if (since) return new Date(since);
  write(tenant, { pastDueSince: at.toISOString() });
  return at;
}

/** What the `billing` query reports. */
export function billingStatusOf(tenant: Tenant, trialEndsAt: Date | null, now = new Date()): BillingStatus {
  const state = billingStateOf(tenant);
  if (state.pastDueSince) return BillingStatus.PAST_DUE;
  if (state.subscriptionStatus === 'canceled') return BillingStatus.CANCELED;
  if (!state.subscriptionId && trialEndsAt && trialEndsAt > now) return BillingStatus.TRIALING;
  return BillingStatus.ACTIVE;
}
