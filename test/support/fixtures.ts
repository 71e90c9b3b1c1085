import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/engine/identity/passwords.js';
import { inTenantTransaction } from '../../src/engine/tenancy/tenant-session.js';
import type { Role } from '../../src/engine/identity/roles.js';
import { Membership } from '../../src/engine/identity/membership.entity.js';
import { User } from '../../src/engine/identity/user.entity.js';
import { ProvisioningDocument, ProvisionTenantDocument } from '../generated/graphql.js';
import { testEnv } from '../setup/environment.js';
import { execute, ok } from './client.js';
import { waitUntil } from './wait.js';

export const TEST_PASSWORD = 'correct-horse-battery';

export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export interface TestTenant {
  id: string;
  slug: string;
  ownerId: string;
  ownerEmail: string;
  /** The owner's token for this tenant. */
  token: string;
}

/** A tenant provisioned through the public mutation, as a customer would. */
export async function provisionTenant(prefix = 't', plan: 'FREE' | 'PRO' | 'ENTERPRISE' = 'PRO'): Promise<TestTenant> {
  const slug = uniqueSlug(prefix);
  const ownerEmail = `owner@${slug}.example.com`;
  const data = ok(
    await execute(ProvisionTenantDocument, {
      // An empty tenant: tests count what they create themselves.
      input: { name: `Tenant ${slug}`, slug, plan, ownerEmail, ownerPassword: TEST_PASSWORD, ownerName: 'Owner', withSampleData: false },
    }),
  );
  const result = data.provisionTenant;
  await waitForProvisioning(result.provisioning.id, result.token, 'COMPLETED');
  return { id: result.tenant.id, slug, ownerId: result.owner.id, ownerEmail, token: result.token };
}

/** Polls a provisioning run until it reaches `status` (the background worker does the work). */
export function waitForProvisioning(id: string, token: string, status: 'COMPLETED' | 'FAILED', timeoutMs = 20_000) {
  return waitUntil(
    async () => ok(await execute(ProvisioningDocument, { id }, { token })).provisioning,
    (provisioning) => provisioning?.status === status,
    timeoutMs,
  );
}

export interface TestMember {
  id: string;
  email: string;
  token: string;
}

/** A user with `role` in `tenant`, written below the API (invites are tested on their own). */
export async function addMember(tenant: TestTenant, role: Role): Promise<TestMember> {
  const { services } = testEnv();
  const email = `${role.toLowerCase()}-${randomBytes(4).toString('hex')}@${tenant.slug}.example.com`;
  const user = await inTenantTransaction(services.orm.em, tenant.id, async (em) => {
    const created = em.create(User, { email, name: role, passwordHash: await hashPassword(TEST_PASSWORD) });
    em.create(Membership, { user: created, role });
    await em.flush();
    return created;
  });
  return { id: user.id, email, token: services.tokens.sign({ sub: user.id, tid: tenant.id }) };
}
