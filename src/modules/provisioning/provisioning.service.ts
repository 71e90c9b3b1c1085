import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { createAccountClaim } from '../../engine/identity/email-claims.js';
import { accountsWithPassword } from '../../engine/identity/password-credentials.js';
import { ConflictError, ForbiddenError, UnauthenticatedError } from '../../engine/graphql/errors.js';
import { spend } from '../../engine/http/rate-limit.js';
import { isUuid } from '../../engine/graphql/uuid.js';
import type { RequestContext } from '../../engine/context.js';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import { enqueueJob } from '../../engine/jobs/job-queue.js';
import { Role } from '../../engine/identity/roles.js';
import { normalizeSlug } from '../../engine/tenancy/slug.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { recordUsageEvent } from '../metering/usage-meter.js';
import { UsageMetric } from '../metering/usage-metric.js';
import { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { Membership } from '../../engine/identity/membership.entity.js';
import { User } from '../../engine/identity/user.entity.js';
import { normalizeEmail } from '../../engine/identity/user.service.js';
import { hashPassword } from '../../engine/identity/passwords.js';
import { prepareVerificationEmail } from '../accounts/accounts.service.js';
import { startTrial } from '../plans/trial.js';
import type { ProvisionTenantInput } from './provisioning.inputs.js';
import { Provisioning, ProvisioningStep } from './provisioning.entity.js';
import { PROVISIONING_STEPS } from './provisioning.steps.js';
import { PROVISION_TENANT_TASK, type ProvisionTenantJob } from './provisioning.task.js';
import type { ProvisionTenantPayload } from './provisioning.payload.js';

/** The same sign-up submitted again within this window returns the first run instead of failing. */
const RETRY_WINDOW_MS = 60 * 60 * 1000;

function fingerprint(slug: string, email: string): string {
  return createHash('sha256').update(`${slug}\n${email}`).digest('hex');
}

/**
 * The new tenant's owner. A signed-in account whose own e-mail is `ownerEmail` adds the tenant to
 * itself (`ownerPassword` is then ignored). Anyone else signing up gets a new, unverified account
 * with that e-mail whatever accounts the address already has: sign-up never looks at them, so its
 * answer (and its work) is the same for a known address and a new one, and no password typed here
 * is ever tried against an existing account.
 */
async function tenantOwner(ctx: RequestContext, em: EntityManager, input: ProvisionTenantInput): Promise<User> {
  const email = normalizeEmail(input.ownerEmail);
  if (ctx.user?.email === email) return em.findOneOrFail(User, { id: ctx.user.id });
  if (ctx.user) throw new UnauthenticatedError("Sign in as this e-mail's account to add a tenant to it");
  const passwordHash = await hashPassword(input.ownerPassword);
  return createAccountClaim(em, { email, name: input.ownerName.trim(), passwordHash }, 'ownerEmail');
}

/**
 * Sign-up: the tenant (PROVISIONING), its owner (new, or the signed-in account), the owner membership, the provisioning record with its steps and the job that runs
 * them — all in one transaction, so a crash leaves either everything or nothing.
 */
export async function provisionTenant(ctx: RequestContext, input: ProvisionTenantInput): Promise<ProvisionTenantPayload> {
  const { services } = ctx;
  if (!services.config.signupEnabled) throw new ForbiddenError('Sign-up is closed');
  await spend(services.rateLimits.signup, ctx.clientIp ?? 'unknown');
  const slug = normalizeSlug(input.slug);
  const requestFingerprint = fingerprint(slug, normalizeEmail(input.ownerEmail));

  const retried = await findRetriedSignUp(ctx, requestFingerprint, input.ownerPassword);
  if (retried) return retried;

  const tenant = new Tenant();
  Object.assign(tenant, { name: input.name.trim(), slug, subdomain: slug, plan: input.plan ?? PlanCode.FREE });
  try {
    const { owner, provisioning, sendVerification } = await inTenantTransaction(services.orm.em, tenant.id, async (em) => {
      if (await em.count(Tenant, { slug })) throw new ConflictError('This slug is taken', 'slug');
      em.persist(tenant);
      await startTrial(em, tenant);
      const owner = await tenantOwner(ctx, em, input);
      await em.flush();
      // An unverified owner gets its verification e-mail (or its address's owner a notice) once this commits.
      const sendVerification = owner.emailVerifiedAt ? undefined : await prepareVerificationEmail(services, em, owner, tenant);
      const ownership = em.create(Membership, { user: owner, role: Role.OWNER });
      const provisioning = em.create(Provisioning, {
        tenant,
        ownerUserId: owner.id,
        requestFingerprint,
        withSampleData: input.withSampleData !== false,
      });
      PROVISIONING_STEPS.forEach((step, position) => em.create(ProvisioningStep, { provisioning, step: step.name, position }));
      await em.flush();
      const job: ProvisionTenantJob = { tenantId: tenant.id, provisioningId: provisioning.id };
      await enqueueJob(em, PROVISION_TENANT_TASK, job, {
        jobKey: `provision:${tenant.id}`,
        maxAttempts: services.config.provisioningMaxAttempts,
      });
      await recordUsageEvent(em, tenant.id, UsageMetric.SEATS, `seat:${ownership.id}`);
      return { owner, provisioning, sendVerification };
    });
    services.tenants.invalidate(tenant);
    sendVerification?.();
    services.metrics.provisioningStarted.inc();
    return { tenant, owner, token: services.tokens.sign({ sub: owner.id, tid: tenant.id }), provisioning };
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && /tenants_(slug|subdomain)_key/.test(error.message)) {
      throw new ConflictError('This slug is taken', 'slug');
    }
    throw error;
  }
}

/** A recent run of the same sign-up whose owner proves the password: answered again, not duplicated. */
async function findRetriedSignUp(
  ctx: RequestContext,
  requestFingerprint: string,
  password: string,
): Promise<ProvisionTenantPayload | null> {
  const em = ctx.services.orm.em.fork();
  const provisioning = await em.findOne(
    Provisioning,
    { requestFingerprint, createdAt: { $gt: new Date(Date.now() - RETRY_WINDOW_MS) }, tenant: { deletedAt: null } },
    { populate: ['tenant'], orderBy: { createdAt: 'desc' } },
  );
  if (!provisioning) return null;
  const owner = await em.findOneOrFail(User, { id: provisioning.ownerUserId });
  if (!(await accountsWithPassword(em, owner.email, password)).includes(owner.id)) return null;
  const tenant = provisioning.tenant;
  return { tenant, owner, token: ctx.services.tokens.sign({ sub: owner.id, tid: tenant.id }), provisioning };
}

/** A provisioning run, for its owner or a platform operator only; anyone else gets null. */
export async function findVisibleProvisioning(ctx: RequestContext, id: string): Promise<Provisioning | null> {
  if (!ctx.user || !isUuid(id)) return null;
  const provisioning = await ctx.services.orm.em.fork().findOne(Provisioning, { id }, { populate: ['tenant', 'steps'] });
  if (!provisioning) return null;
  return provisioning.ownerUserId === ctx.user.id || ctx.user.isPlatformAdmin ? provisioning : null;
}
