import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTableSecurity } from './rls.js';

/**
 * Feature flags: global defaults (a small reference table, written only through the audited
 * platform path) and tenant overrides (a tenant table under row-level security).
 */
export class Migration20261202100100_feature_flags extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `create table feature_flag_defaults (
        key text primary key,
        enabled boolean not null,
        rollout_percent integer check (rollout_percent between 0 and 100),
        updated_at timestamptz not null default now()
      )`,
      `grant select, insert, update on feature_flag_defaults to ${APP_ROLE}`,

      `create table tenant_feature_flags (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        key text not null,
        enabled boolean not null,
        rollout_percent integer check (rollout_percent between 0 and 100),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, key)
      )`,
      ...tenantTableSecurity('tenant_feature_flags'),
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
