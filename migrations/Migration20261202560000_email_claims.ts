import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './rls.js';

/**
 * An unverified account's e-mail is a claim, not an identity: sign-up and invites create a new
 * account whatever accounts the address already has, so their answers say nothing about them.
 * - the address is unique among verified accounts only (the index is the backstop of verifyEmail);
 * - `tessera_user_credentials` returns every account of the address that sign-in may try, the
 *   verified one first, then the unverified ones newest first, at most `p_limit` (the app's cap
 *   on accounts per address), still one e-mail at a time and never a hash to a plain query.
 */
export class Migration20261202560000_email_claims extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `drop index users_email_key`,
      `create unique index users_verified_email_key on users (email) where email_verified_at is not null`,
      `create index users_email_idx on users (email)`,

      `drop function tessera_user_credentials(text)`,
      `create function tessera_user_credentials(p_email text, p_limit integer default 5)
        returns table (user_id uuid, password_hash text, verified boolean, rank integer)
        language sql stable security definer set search_path = public, pg_temp as $$
          select u.id, u.password_hash, u.email_verified_at is not null,
                 (row_number() over (order by u.email_verified_at is null, u.created_at desc, u.id))::integer
          from users u where u.email = p_email
          order by 4
          limit least(greatest(p_limit, 1), 20)
        $$`,
      `revoke all on function tessera_user_credentials(text, integer) from public`,
      `grant execute on function tessera_user_credentials(text, integer) to ${APP_ROLE}`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
