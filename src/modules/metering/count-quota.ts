import type { EntityManager } from '@mikro-orm/postgresql';
import { QuotaExceededError } from '../../engine/graphql/errors.js';
import type { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { limitOf, type LimitedMetric } from '../plans/plan-catalogue.js';

/**
 * Refuses adding `adding` of a counted metric (seats, projects) beyond the plan's limit, atomically:
 * a transaction-scoped advisory lock per (tenant, metric) makes concurrent creations count one
 * after the other, and the lock is held until the creating transaction commits. A tenant already
 * over a lower plan's limit keeps what it has; only new creations are refused.
 */
export async function enforceCountLimit(
  em: EntityManager,
  tenant: { id: string; plan: PlanCode },
  metric: Exclude<LimitedMetric, 'API_CALLS'>,
  countUsed: () => Promise<number>,
  adding = 1,
): Promise<void> {
  const limit = limitOf(tenant.plan, metric);
  if (limit === null) return;
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`quota:${tenant.id}:${metric}`]);
  const used = await countUsed();
  if (used + adding > limit) throw new QuotaExceededError(metric, limit, used);
}
