import { Migration } from '@mikro-orm/migrations';
import { CURRENT_TENANT, CURRENT_USER_ID } from './rls.js';

/** `tenant-session.ts` turns this on around the caller's own-memberships listing only. */
const OWN_MEMBERSHIPS = `(select current_setting('app.own_memberships', true)) = 'on'`;

/**
 * A caller's own memberships were visible in every tenant, so with the ORM filter off a token whose
 * `tid` names a tenant the user is not in took the user's role from another tenant. Inside a
 * tenant's transaction the policy now shows the caller's membership of that tenant only; the
 * listing of all of them (myMemberships, sign-in) is its own path (`findOwnMemberships`).
 */
export class Migration20261202500000_memberships_self_select_tenant extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop policy memberships_self_select on memberships`);
    this.addSql(
      `create policy memberships_self_select on memberships for select using (
        user_id = ${CURRENT_USER_ID} and (${CURRENT_TENANT} is null or tenant_id = ${CURRENT_TENANT} or ${OWN_MEMBERSHIPS})
      )`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop policy memberships_self_select on memberships`);
    this.addSql(`create policy memberships_self_select on memberships for select using (user_id = ${CURRENT_USER_ID})`);
  }
}
