import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, PLATFORM_ROLE } from './rls.js';

/**
 * E-mail verification and password reset. Accounts that exist before this migration count as
 * verified (they were trusted until now). Tokens are global like users, stored as SHA-256 only.
 */
export class Migration20261202550200_account_tokens extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `alter table users add column email_verified_at timestamptz`,
      `update users set email_verified_at = created_at`,
      `grant select (email_verified_at) on users to ${APP_ROLE}, ${PLATFORM_ROLE}`,
      `grant update (email_verified_at) on users to ${APP_ROLE}`,

      `create table account_tokens (
        id uuid primary key,
        user_id uuid not null references users (id),
        purpose text not null check (purpose in ('PASSWORD_RESET', 'EMAIL_VERIFICATION')),
        token_hash text not null unique,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      )`,
      `create index account_tokens_user_idx on account_tokens (user_id, purpose) where used_at is null`,
      `grant select, insert, update on account_tokens to ${APP_ROLE}`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
