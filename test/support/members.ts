import { randomBytes } from 'node:crypto';
import { AcceptInviteDocument, InviteMemberDocument, type Role } from '../generated/graphql.js';
import { execute, ok } from './client.js';
import type { TestTenant } from './fixtures.js';

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
