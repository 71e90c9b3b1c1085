import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './rls.js';

/** Usage records (batches of billable events, idempotent per key), their hourly/daily rollups, applied Stripe events. */
export class Migration20261202300000_metering extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `create table usage_records (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        metric text not null check (metric in ('SEATS', 'PROJECTS', 'API_CALLS')),
        quantity integer not null check (quantity > 0),
        idempotency_key text not null,
        occurred_at timestamptz not null,
        created_at timestamptz not null default now(),
        unique (tenant_id, idempotency_key)
      )`,
      `create index usage_records_period_idx on usage_records (tenant_id, metric, occurred_at)`,
      ...tenantTableSecurity('usage_records', 'select, insert, update'),
      `create table usage_rollups (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        metric text not null check (metric in ('SEATS', 'PROJECTS', 'API_CALLS')),
        granularity text not null check (granularity in ('HOUR', 'DAY')),
        bucket_start timestamptz not null,
        quantity integer not null,
        reported_at timestamptz,
        created_at timestamptz not null default now(),
        unique (tenant_id, metric, granularity, bucket_start)
      )`,
      ...tenantTableSecurity('usage_rollups', 'select, insert, update'),
      // Stripe events applied to a tenant, once each (the unique id is the idempotency of webhooks).
      `create table billing_events (
        id uuid primary key,
        tenant_id uuid not null references tenants (id),
        event_id text not null unique,
        type text not null,
        created_at timestamptz not null default now()
      )`,
      ...tenantTableSecurity('billing_events', 'select, insert'),
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
