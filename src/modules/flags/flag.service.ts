import type { RequestContext } from '../../engine/context.js';
import { withPlatformAccess } from '../../engine/authorization/platform-access.js';
import { BadUserInputError, TenantRequiredError } from '../../engine/graphql/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { flagDefinition, type FlagDefinition } from './flag-catalogue.js';
import { flagStore } from './flag-store.service.js';
import { FeatureFlagDefault, TenantFeatureFlag } from './flag.entity.js';
import { FlagSource, type FeatureFlag } from './flag.types.js';

function validated(key: string, rolloutPercent: number | null | undefined): FlagDefinition {
  const definition = flagDefinition(key);
  if (!definition) throw BadUserInputError.field('key', `Unknown feature flag "${key}"`);
  if (rolloutPercent != null && (!Number.isInteger(rolloutPercent) || rolloutPercent < 0 || rolloutPercent > 100)) {
    throw BadUserInputError.field('rolloutPercent', 'Must be a whole number from 0 to 100');
  }
  return definition;
}

/** Every known flag as it resolves for the request's tenant (from the process cache when warm). */
export function listFeatureFlags(ctx: RequestContext): Promise<FeatureFlag[]> {
  return ctx.services.get(flagStore).resolveAll(ctx.em, ctx.tenant!);
}

/** Whether `key` is on for the request's tenant: what other modules call (warm, from memory). */
export function isFlagEnabled(ctx: RequestContext, key: string): Promise<boolean> {
  if (!ctx.tenant) return Promise.reject(new TenantRequiredError());
  return ctx.services.get(flagStore).isEnabled(ctx.em, ctx.tenant, key);
}

/** Owner: the tenant's override of a flag, audited in the same transaction; every process forgets it after commit. */
export async function setFeatureFlag(
  ctx: RequestContext,
  key: string,
  enabled: boolean,
  rolloutPercent?: number | null,
): Promise<FeatureFlag> {
  validated(key, rolloutPercent);
  const tenant = ctx.tenant!;
  const store = ctx.services.get(flagStore);
  const existing = await ctx.em.findOne(TenantFeatureFlag, { key });
  const previous = existing ? { enabled: existing.enabled, rolloutPercent: existing.rolloutPercent ?? null } : null;
  const row = existing ?? ctx.em.create(TenantFeatureFlag, { key, enabled });
  ctx.em.assign(row, { enabled, rolloutPercent: rolloutPercent ?? null });
  recordAudit(ctx, 'flag.set', key, { key, enabled, rolloutPercent: rolloutPercent ?? null, previous });
  await ctx.em.flush();
  ctx.services.afterCommit.schedule(ctx.em, () => store.publishChange(tenant.id));
  return store.resolveFresh(ctx.em, tenant, key);
}

/** Owner: removes the tenant's override, so the plan or global default decides again (audited). */
export async function clearFeatureFlag(ctx: RequestContext, key: string): Promise<FeatureFlag> {
  validated(key, null);
  const tenant = ctx.tenant!;
  const store = ctx.services.get(flagStore);
  const existing = await ctx.em.findOne(TenantFeatureFlag, { key });
  if (existing) {
    recordAudit(ctx, 'flag.cleared', key, {
      key,
      previous: { enabled: existing.enabled, rolloutPercent: existing.rolloutPercent ?? null },
    });
    ctx.em.remove(existing);
    await ctx.em.flush();
    ctx.services.afterCommit.schedule(ctx.em, () => store.publishChange(tenant.id));
  }
  return store.resolveFresh(ctx.em, tenant, key);
}

/** Platform operators: a flag's global default, through the audited platform path; every process forgets its flags. */
export async function setGlobalFeatureFlag(
  ctx: RequestContext,
  key: string,
  enabled: boolean,
  rolloutPercent?: number | null,
): Promise<FeatureFlag> {
  const definition = validated(key, rolloutPercent);
  const setting = { enabled, rolloutPercent: rolloutPercent ?? null };
  await withPlatformAccess(
    ctx,
    'flag.set_global',
    async (em) => {
      const row = (await em.findOne(FeatureFlagDefault, { key })) ?? em.create(FeatureFlagDefault, { key, enabled });
      em.assign(row, setting);
      await em.flush();
    },
    { key, ...setting },
  );
  ctx.services.get(flagStore).publishChange(null);
  return { key, description: definition.description, source: FlagSource.GLOBAL, ...setting };
}
