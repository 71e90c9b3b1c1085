import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, CURRENT_USER_ID, tenantTableSecurity } from './rls.js';

/** Tenants, users, memberships and the audit log, with row-level security on the tenant tables. */
export class Migration20261123000000_core extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `grant usage on schema public to ${APP_ROLE}`,

      `create table tenants (
        id uuid primary key,
        name text not null check (length(name) between 1 and 200),
        slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) between 3 and 48),
        subdomain text not null,
        plan text not null check (plan in ('FREE', 'PRO', 'ENTERPRISE')),
        status text not null check (status in ('PROVISIONING', 'ACTIVE', 'SUSPENDED', 'FAILED', 'DELETED')),
        settings jsonb not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz
      )`,
      `create unique index tenants_slug_key on tenants (slug)`,
      `create unique index tenants_subdomain_key on tenants (subdomain)`,
      // The registry is read before a tenant is known; rows are never deleted by the app (soft delete).
      `grant select, insert, update on tenants to ${APP_ROLE}`,

      `create table users (
        id uuid primary key,
        email text not null check (email = lower(email) and length(email) between 3 and 320),
        name text not null check (length(name) between 1 and 200),
        password_hash text not null,
        is_platform_admin boolean not null default false,
        created_at timestamptz not null default now()
      )`,
      `create unique index users_email_key on users (email)`,
      `grant select, insert, update on users to ${APP_ROLE}`,

      `create table memberships (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        user_id uuid not null references users (id),
        role text not null check (role in ('OWNER', 'MANAGER', 'MEMBER', 'VIEWER')),
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, user_id)
      )`,
      `create index memberships_user_idx on memberships (user_id)`,
      ...tenantTableSecurity('memberships'),
      // A signed-in user may list their own memberships in every tenant (myMemberships, login).
      `create policy memberships_self_select on memberships for select using (user_id = ${CURRENT_USER_ID})`,

      `create table audit_events (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        actor_user_id uuid,
        action text not null,
        target_id text,
        data jsonb not null default '{}',
        request_id text,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id)
      )`,
      `create index audit_events_tenant_created_idx on audit_events (tenant_id, created_at desc, id desc)`,
      ...tenantTableSecurity('audit_events', 'select, insert'),

      `create table platform_audit_events (
        id uuid primary key default gen_random_uuid(),
        operator_user_id uuid not null references users (id),
        action text not null,
        reason text not null,
        data jsonb not null default '{}',
        created_at timestamptz not null default now()
      )`,
      `grant select, insert on platform_audit_events to ${APP_ROLE}`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
