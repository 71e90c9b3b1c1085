import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTableSecurity } from './rls.js';

/**
 * Per-tenant API keys. Only the SHA-256 of a secret is stored. A request names no tenant before its
 * key is known, so the lookup by hash goes through one owner-defined function that returns the
 * single matching row and nothing else; every other access is tenant-scoped by RLS.
 */
export class Migration20261202150000_api_keys extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `create table api_keys (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        name text not null check (length(name) between 1 and 100),
        prefix text not null check (prefix ~ '^tsk_[0-9A-Za-z]{8}$'),
        secret_hash text not null check (secret_hash ~ '^[0-9a-f]{64}$'),
        role text not null check (role in ('MANAGER', 'MEMBER', 'VIEWER')),
        created_by uuid not null references users (id),
        created_at timestamptz(3) not null default now(),
        expires_at timestamptz(3),
        revoked_at timestamptz(3),
        last_used_at timestamptz(3),
        primary key (tenant_id, id),
        unique (tenant_id, secret_hash),
        check (expires_at is null or expires_at > created_at)
      )`,
      `create index api_keys_secret_hash_idx on api_keys (secret_hash)`,
      `create index api_keys_tenant_created_idx on api_keys (tenant_id, created_at desc, id desc)`,
      // Keys are revoked, never deleted: the audit trail keeps pointing at them.
      ...tenantTableSecurity('api_keys', 'select, insert, update'),

      // RLS is forced on the owner too, so the lookup function (which runs as the owner) needs a
      // read policy of its own; it names the owner role only, which the app can never become.
      `create policy api_keys_owner_lookup on api_keys for select to current_user using (true)`,
      `create function tessera_find_api_key(p_hash text)
        returns table (id uuid, tenant_id uuid, role text, expires_at timestamptz, revoked_at timestamptz)
        language sql stable security definer set search_path = public, pg_temp as $$
          select k.id, k.tenant_id, k.role, k.expires_at, k.revoked_at from api_keys k where k.secret_hash = p_hash
        $$`,
      `revoke all on function tessera_find_api_key(text) from public`,
      `grant execute on function tessera_find_api_key(text) to ${APP_ROLE}`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
