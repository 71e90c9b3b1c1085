import { randomBytes } from 'node:crypto';
import { AcceptInviteDocument, InviteMemberDocument, type Role } from '../generated/graphql.js';
import { execute, ok } from './client.js';
import type { TestTenant } from './fixtures.js';
import { adminQuery } from './sql.js';
import { testEnv } from '../setup/environment.js';
import { publishCallerChange } from '../../src/engine/identity/caller-cache.js';

export const NEW_USER_PASSWORD = 'a-new-members-password';

export function newEmail(tenant: TestTenant, prefix = 'invitee'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@${tenant.slug}.example.com`;
}

/** An invite made through the API by the holder of `inviterToken`. */
export async function invite(inviterToken: string, email: string, role: Role): Promise<{ id: string; token: string }> {
  const created = ok(await execute(InviteMemberDocument, { email, role }, { token: inviterToken })).inviteMember!;
  return { id: created.id, token: created.token! };
}

/** Accepts an invite anonymously, as someone following the invite link. */
export async function accept(inviteToken: string, password = NEW_USER_PASSWORD, name?: string) {
  return ok(await execute(AcceptInviteDocument, { token: inviteToken, password, name })).acceptInvite;
}

/**
 * Marks an account's e-mail as verified in SQL (the verification flow itself: email-flows.test.ts)
 * and, since that write is behind the ORM's back, evicts the gateway's cached caller like a flush would.
 */
export async function markEmailVerified(userId: string): Promise<void> {
  await adminQuery('update users set email_verified_at = now() where id = $1', [userId]);
  const { services } = testEnv();
  publishCallerChange(services.callers, services.pubSub, { userId });
}
