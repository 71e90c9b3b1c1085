import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTableSecurity } from './rls.js';

/**
 * Asynchronous provisioning and the tenant lifecycle. Provisioning records are global (like the
 * tenant registry): the owner watches them before the tenant is served, by their random id.
 */
export class Migration20261123000300_lifecycle extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `alter table tenants add column status_reason text`,
      `alter table tenants add column billing jsonb not null default '{}'`,
      `alter table tenants add column purged_at timestamptz`,

      `create table provisionings (
        id uuid primary key,
        tenant_id uuid not null unique references tenants (id),
        owner_user_id uuid not null references users (id),
        status text not null check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
        current_step text,
        failure_reason text,
        request_fingerprint text not null,
        with_sample_data boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        completed_at timestamptz
      )`,
      `create index provisionings_fingerprint_idx on provisionings (request_fingerprint, created_at desc)`,
      `create table provisioning_steps (
        id uuid primary key,
        provisioning_id uuid not null references provisionings (id) on delete cascade,
        step text not null,
        position int not null,
        status text not null check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'SKIPPED', 'FAILED')),
        attempts int not null default 0,
        last_error text,
        started_at timestamptz,
        finished_at timestamptz,
        unique (provisioning_id, step)
      )`,
      `grant select, insert, update on provisionings, provisioning_steps to ${APP_ROLE}`,

      // Live job workers; a sweeper hands the jobs of a worker that stopped beating to another.
      `create table worker_heartbeats (
        worker_id text primary key,
        process text not null,
        last_seen_at timestamptz not null default now()
      )`,
      `grant select, insert, update, delete on worker_heartbeats to ${APP_ROLE}`,

      `create table tenant_exports (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        requested_by uuid not null references users (id),
        status text not null check (status in ('PENDING', 'COMPLETED', 'FAILED')),
        row_count int,
        archive text,
        failure_reason text,
        created_at timestamptz not null default now(),
        completed_at timestamptz,
        primary key (tenant_id, id)
      )`,
      `create index tenant_exports_tenant_created_idx on tenant_exports (tenant_id, created_at desc, id desc)`,
      ...tenantTableSecurity('tenant_exports'),

      // Purging a deleted tenant must also remove its append-only audit rows, which the app role
      // can never delete: this owner-defined function does it, and only for a soft-deleted tenant.
      `create function tessera_purge_tenant(p_tenant uuid) returns integer
        language plpgsql security definer set search_path = public, pg_temp as $$
        declare
          tables text[];
          remaining text[];
          blocked text[];
          current_table text;
          deleted integer;
          total integer := 0;
        begin
          if not exists (select 1 from tenants where id = p_tenant and deleted_at is not null and purged_at is null) then
            return 0;
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
      `revoke all on function tessera_purge_tenant(uuid) from public`,
      `grant execute on function tessera_purge_tenant(uuid) to ${APP_ROLE}`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
