import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './rls.js';

const ROLES = `'OWNER', 'MANAGER', 'MEMBER', 'VIEWER'`;

/**
 * Invites and in-app notifications. An invite stores only the SHA-256 of its secret (the raw token
 * is shown once, to the inviter); at most one live invite per e-mail and tenant. A notification
 * belongs to a member (composite key through memberships), so removing the member removes them.
 * Timestamps keep milliseconds only: that is what a keyset cursor (a JS Date) can carry.
 */
export class Migration20261123000200_members extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `create table invites (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        email text not null check (email = lower(email) and length(email) between 3 and 320),
        role text not null check (role in (${ROLES})),
        token_hash text not null check (token_hash ~ '^[0-9a-f]{64}$'),
        invited_by uuid not null references users (id),
        expires_at timestamptz(3) not null,
        accepted_at timestamptz(3),
        accepted_by uuid references users (id),
        revoked_at timestamptz(3),
        created_at timestamptz(3) not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, token_hash),
        check (expires_at > created_at),
        check (accepted_at is null or revoked_at is null),
        check ((accepted_at is null) = (accepted_by is null))
      )`,
      `create index invites_tenant_created_idx on invites (tenant_id, created_at desc, id desc)`,
      `create unique index invites_tenant_live_email_key on invites (tenant_id, email)
        where accepted_at is null and revoked_at is null`,
      ...tenantTableSecurity('invites'),

      `create table notifications (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        user_id uuid not null,
        kind text not null check (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
        title text not null check (length(title) between 1 and 200),
        body text not null default '' check (length(body) <= 5000),
        data jsonb not null default '{}',
        read_at timestamptz(3),
        created_at timestamptz(3) not null default now(),
        primary key (tenant_id, id),
        foreign key (tenant_id, user_id) references memberships (tenant_id, user_id) on delete cascade
      )`,
      `create index notifications_tenant_user_created_idx on notifications (tenant_id, user_id, created_at desc, id desc)`,
      `create index notifications_tenant_user_unread_idx on notifications (tenant_id, user_id, created_at desc, id desc)
        where read_at is null`,
      ...tenantTableSecurity('notifications'),
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
