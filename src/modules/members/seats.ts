import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership } from '../../engine/identity/membership.entity.js';
import { Invite } from './invite.entity.js';

/** Seats of the plan's limit: members plus invites still open (not accepted, revoked or expired). */
export async function countSeats(em: EntityManager): Promise<number> {
  const [members, openInvites] = await Promise.all([
    em.count(Membership, {}),
    em.count(Invite, { acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } }),
  ]);
  return members + openInvites;
}
