import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership } from './membership.entity.js';

/**
 * A user's own memberships in every tenant. The one read of a tenant table across tenants that is
 * not a platform operation: the ORM filter is lifted here only, and RLS still limits the rows to
 * `user_id = app.user_id` (policy memberships_self_select), so the caller must be that user.
 */
export function findOwnMemberships(em: EntityManager, userId: string): Promise<Membership[]> {
  return em.find(Membership, { user: userId }, { filters: { tenant: false }, orderBy: { createdAt: 'asc', id: 'asc' } });
}
