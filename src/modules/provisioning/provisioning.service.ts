import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictError, ForbiddenError } from '../../common/errors.js';
import { spend } from '../../common/rate-limit.js';
import type { RequestContext } from '../../context.js';
import { inTenantTransaction } from '../../db/tenant-transaction.js';
import { Role } from '../auth/roles.js';
import { normalizeSlug } from '../tenants/slug.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { PlanCode, TenantStatus } from '../tenants/tenant.enums.js';
import type { ProvisionTenantInput } from './provisioning.inputs.js';
import { Membership } from '../users/membership.entity.js';
import { findOrCreateUser } from '../users/user.service.js';
import { Provisioning } from './provisioning.entity.js';
import { ProvisioningStatus, type ProvisionTenantPayload } from './provisioning.types.js';

/**
 * Creates the tenant, its owner (or attaches an existing identity that proves its password),
 * the owner membership and the provisioning record in one transaction: all or nothing.
 */
export async function provisionTenant(ctx: RequestContext, input: ProvisionTenantInput): Promise<ProvisionTenantPayload> {
  if (!ctx.services.config.signupEnabled) throw new ForbiddenError('Sign-up is closed');
  await spend(ctx.services.rateLimits.signup, ctx.clientIp ?? 'unknown');
  const slug = normalizeSlug(input.slug);
  const tenant = new Tenant();
  Object.assign(tenant, {
    name: input.name.trim(),
    slug,
    subdomain: slug,
    plan: input.plan ?? PlanCode.FREE,
    status: TenantStatus.ACTIVE,
  });
  try {
    const { owner, provisioning } = await inTenantTransaction(ctx.services.orm.em, tenant.id, async (em) => {
      if (await em.count(Tenant, { slug })) throw new ConflictError('This slug is taken', 'slug');
      em.persist(tenant);
      const owner = await findOrCreateUser(em, {
        email: input.ownerEmail,
        password: input.ownerPassword,
        name: input.ownerName,
      });
      await em.flush();
      em.create(Membership, { user: owner, role: Role.OWNER });
      const provisioning = em.create(Provisioning, {
        status: ProvisioningStatus.COMPLETED,
        completedAt: new Date(),
      });
      await em.flush();
      return { owner, provisioning };
    });
    ctx.services.tenants.invalidate(tenant);
    return {
      tenant,
      owner,
      token: ctx.services.tokens.sign({ sub: owner.id, tid: tenant.id }),
      provisioning: { id: provisioning.id, status: provisioning.status },
    };
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && /tenants_(slug|subdomain)_key/.test(error.message)) throw new ConflictError('This slug is taken', 'slug');
    throw error;
  }
}
