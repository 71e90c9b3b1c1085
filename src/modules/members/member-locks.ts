import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '../../engine/graphql/errors.js';
import { requireFound } from '../../engine/graphql/require-found.js';
import { Role } from '../../engine/identity/roles.js';
import { Membership } from '../../engine/identity/membership.entity.js';

export interface LockedMemberships {
  actor: Membership;
  target: Membership;
  /** Every OWNER membership of the tenant, as committed when the lock was taken. */
  owners: Membership[];
}

/**
 * Locks (SELECT ... FOR UPDATE, in id order, in the request transaction) every OWNER membership of
 * the tenant plus the actor's and the target's. Concurrent role changes and removals then run one
 * after the other, and PostgreSQL re-reads locked rows that changed meanwhile, so two owners
 * demoting each other at once cannot both pass the "last owner" check. The actor's own role is
 * re-read under the lock as well: a role taken away a moment ago no longer counts.
 */
export async function lockMembershipChange(em: EntityManager, actorUserId: string, targetUserId: string): Promise<LockedMemberships> {
  const rows = await em.find(
    Membership,
    { $or: [{ role: Role.OWNER }, { user: { $in: [actorUserId, targetUserId] } }] },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } },
  );
  const actor = rows.find((row) => row.user.id === actorUserId);
  if (!actor) throw new ForbiddenError();
  const target = requireFound(
    rows.find((row) => row.user.id === targetUserId),
    'Member',
  );
  return { actor, target, owners: rows.filter((row) => row.role === Role.OWNER) };
}
