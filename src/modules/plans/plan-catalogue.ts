import { PlanCode } from '../../engine/tenancy/tenant.enums.js';

/** A capability that only some plans include; gates answer PLAN_UPGRADE_REQUIRED without it. */
export const FEATURES = ['apiKeys', 'slackNotifications', 'auditLog', 'dataExport', 'customBranding', 'advancedWorkflow'] as const;

export type Feature = (typeof FEATURES)[number];

export function isFeature(value: unknown): value is Feature {
  return (FEATURES as readonly unknown[]).includes(value);
}

/** A metered or counted quantity with a per-plan limit. */
export type LimitedMetric = 'SEATS' | 'PROJECTS' | 'API_CALLS';

export interface PlanDefinition {
  readonly code: PlanCode;
  /** Per tenant; `null` is unlimited. API calls count per calendar month (UTC). */
  readonly limits: Readonly<Record<LimitedMetric, number | null>>;
  readonly features: ReadonlySet<Feature>;
  /** The monthly subscription price, in cents of `PRICE_CURRENCY`. */
  readonly monthlyPriceCents: number;
  /** Metered API calls, in cents per 1,000 (plans whose calls are not capped pay for what they use). */
  readonly centsPerThousandApiCalls: number;
}

export const PRICE_CURRENCY = 'usd';

const PRO_FEATURES: Feature[] = ['apiKeys', 'slackNotifications', 'auditLog', 'dataExport', 'customBranding'];

/** The single source of plans: gates, quotas, `usage` and `billing` all read it. Cheapest first. */
export const PLAN_CATALOGUE: Readonly<Record<PlanCode, PlanDefinition>> = {
  [PlanCode.FREE]: {
    code: PlanCode.FREE,
    limits: { SEATS: 3, PROJECTS: 5, API_CALLS: 10_000 },
    features: new Set(),
    monthlyPriceCents: 0,
    centsPerThousandApiCalls: 0,
  },
  [PlanCode.PRO]: {
    code: PlanCode.PRO,
    limits: { SEATS: 25, PROJECTS: 100, API_CALLS: 1_000_000 },
    features: new Set(PRO_FEATURES),
    monthlyPriceCents: 4_900,
    centsPerThousandApiCalls: 0,
  },
  [PlanCode.ENTERPRISE]: {
    code: PlanCode.ENTERPRISE,
    limits: { SEATS: null, PROJECTS: null, API_CALLS: null },
    features: new Set([...PRO_FEATURES, 'advancedWorkflow']),
    monthlyPriceCents: 49_900,
    centsPerThousandApiCalls: 20,
  },
};

const PLANS_IN_ORDER = [PlanCode.FREE, PlanCode.PRO, PlanCode.ENTERPRISE] as const;

export function planOf(code: PlanCode): PlanDefinition {
  return PLAN_CATALOGUE[code];
}

export function planIncludes(code: PlanCode, feature: Feature): boolean {
  return PLAN_CATALOGUE[code].features.has(feature);
}

/** The cheapest plan that includes `feature` (what PLAN_UPGRADE_REQUIRED names). */
export function cheapestPlanWith(feature: Feature): PlanCode {
  const plan = PLANS_IN_ORDER.find((code) => planIncludes(code, feature));
  if (!plan) throw new Error(`No plan includes ${feature}`);
  return plan;
}

/** The limit of `metric` on `code`, `null` when unlimited. */
export function limitOf(code: PlanCode, metric: LimitedMetric): number | null {
  return PLAN_CATALOGUE[code].limits[metric];
}
