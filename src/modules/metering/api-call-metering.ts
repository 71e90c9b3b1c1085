import { OperationTypeNode } from 'graphql';
import type { RequestContext } from '../../engine/context.js';
import { QuotaExceededError } from '../../engine/graphql/errors.js';
import { appendHeader } from '../../engine/http/rate-limit.js';
import { limitOf } from '../plans/plan-catalogue.js';
import { apiCallQuota } from './api-call-quota.js';
import { secondsUntilEnd } from './usage-period.js';
import { usageMeter } from './usage-meter.js';

/**
 * Every operation of an authenticated caller is a billable API call: checked against the monthly
 * quota (one Redis script, no database round trip), counted for billing in memory, and the
 * quota's state is sent as `RateLimit-Policy`/`RateLimit` headers (IETF httpapi draft).
 * Subscriptions count once, when they start.
 */
export async function meterApiCall(ctx: RequestContext, _operation: OperationTypeNode): Promise<void> {
  const tenant = ctx.tenant;
  if (!tenant || !ctx.services.config.billing.meteringEnabled) return;
  const limit = limitOf(tenant.plan, 'API_CALLS');
  const decision = await ctx.services.get(apiCallQuota).consume(tenant.id, limit);
  const resetSeconds = secondsUntilEnd(decision.period);
  if (limit !== null) {
    appendHeader(
      ctx.responseHeaders,
      'ratelimit-policy',
      `"monthly-api-calls";q=${limit};w=${Math.round((decision.period.end.getTime() - decision.period.start.getTime()) / 1000)}`,
    );
    appendHeader(ctx.responseHeaders, 'ratelimit', `"monthly-api-calls";r=${Math.max(0, limit - decision.used)};t=${resetSeconds}`);
  }
  if (!decision.allowed) throw new QuotaExceededError('API_CALLS', limit ?? 0, decision.used, resetSeconds);
  ctx.services.get(usageMeter).count(tenant.id);
}
