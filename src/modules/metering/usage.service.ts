import type { RequestContext } from '../../engine/context.js';
import { TenantRequiredError } from '../../engine/graphql/errors.js';
import { countSeats } from '../members/seats.js';
import { limitOf } from '../plans/plan-catalogue.js';
import { countProjects } from '../projects/project.service.js';
import { apiCallQuota } from './api-call-quota.js';
import { UsageMetric } from './usage-metric.js';
import { monthOf } from './usage-period.js';
import type { Usage } from './usage.types.js';

/** Seats and projects as counted now, API calls as the quota counts them this month. */
export async function currentUsage(ctx: RequestContext): Promise<Usage> {
  const tenant = ctx.tenant;
  if (!tenant) throw new TenantRequiredError();
  const period = monthOf();
  const used: Record<UsageMetric, number> = {
    [UsageMetric.SEATS]: await countSeats(ctx.em),
    [UsageMetric.PROJECTS]: await countProjects(ctx.em),
    [UsageMetric.API_CALLS]: await ctx.services.get(apiCallQuota).used(tenant.id),
  };
  return {
    periodStart: period.start,
    periodEnd: period.end,
    metrics: Object.values(UsageMetric).map((metric) => ({ metric, used: used[metric], limit: limitOf(tenant.plan, metric) })),
  };
}
