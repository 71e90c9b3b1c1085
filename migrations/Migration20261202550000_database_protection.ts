import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE } from './rls.js';

/**
 * The database protects itself from the app role, not only the app from its callers:
 * - `users.password_hash` is not readable by the app role; a password is checked through
 *   `tessera_user_credentials` (owner-defined, fixed search_path), one e-mail at a time;
 * - `users.is_platform_admin` is not writable by the app role (only the owner grants it), nor are
 *   a tenant's id, slug, subdomain and `purged_at`;
 * - `tessera_purge_tenant` refuses a tenant deleted less than the retention period ago, the
 *   period being the owner's (`tessera_settings`), not an argument the caller picks;
 * - `provisionings` is declared global, for the boot check of tenant tables' row-level security.
 */
export class Migration20261202550000_database_protection extends Migration {
  override async up(): Promise<void> {
    const statements = [
      // Global on purpose (read by its random id before the tenant is served): see role-check.ts.
      `comment on table provisionings is 'Sign-up runs, global like the tenant registry. @tessera:global'`,

      `revoke select, insert, update on users from ${APP_ROLE}`,
      `grant select (id, email, name, is_platform_admin, created_at) on users to ${APP_ROLE}`,
      `grant insert (id, email, name, password_hash, created_at) on users to ${APP_ROLE}`,
      `grant update (email, name, password_hash) on users to ${APP_ROLE}`,
      // The registry: a tenant's identity (id, slug, subdomain) and its purge are not the app's to change.
      `revoke update on tenants from ${APP_ROLE}`,
      `grant update (name, plan, trial_ends_at, status, status_reason, settings, billing, updated_at, deleted_at) on tenants to ${APP_ROLE}`,

      `create function tessera_user_credentials(p_email text) returns table (user_id uuid, password_hash text)
        language sql stable security definer set search_path = public, pg_temp as $$
          select u.id, u.password_hash from users u where u.email = p_email
        $$`,
      `revoke all on function tessera_user_credentials(text) from public`,
      `grant execute on function tessera_user_credentials(text) to ${APP_ROLE}`,

      `create table tessera_settings (
        singleton boolean primary key default true check (singleton),
        tenant_retention interval not null default interval '30 days' check (tenant_retention >= interval '0')
      )`,
      `insert into tessera_settings default values`,
      `grant select on tessera_settings to ${APP_ROLE}`,

      `create or replace function tessera_purge_tenant(p_tenant uuid) returns integer
        language plpgsql security definer set search_path = public, pg_temp as $$
        declare
          tables text[];
          remaining text[];
          blocked text[];
          current_table text;
          deleted integer;
          total integer := 0;
        begin
          -- Restored or already purged: nothing to do (the job was scheduled before).
          if not exists (select 1 from tenants where id = p_tenant and deleted_at is not null and purged_at is null) then
            return 0;
          end if;
          if not exists (select 1 from tenants where id = p_tenant
              and deleted_at < now() - (select tenant_retention from tessera_settings)) then
            raise exception 'tenant % is inside its retention period and cannot be purged yet', p_tenant
              using errcode = 'insufficient_privilege';
          end if;
          perform set_config('app.tenant_id', p_tenant::text, true);
          select array_agg(c.relname::text) into tables from pg_class c
            join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
            where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace;
          remaining := tables;
          -- Children before parents, found by trying: a table still referenced waits for the next pass.
          for pass in 1 .. coalesce(array_length(tables, 1), 0) loop
            blocked := '{}';
            foreach current_table in array remaining loop
              begin
                execute format('delete from %I where tenant_id = $1', current_table) using p_tenant;
                get diagnostics deleted = row_count;
                total := total + deleted;
              exception when foreign_key_violation then
                blocked := blocked || current_table;
              end;
            end loop;
            exit when cardinality(blocked) = 0;
            remaining := blocked;
          end loop;
          if cardinality(blocked) > 0 then
            raise exception 'could not purge tenant %: % still referenced', p_tenant, blocked;
          end if;
          update tenants set purged_at = now(), settings = '{}', billing = '{}' where id = p_tenant;
          return total;
        end $$`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
