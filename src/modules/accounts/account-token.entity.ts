import { randomUUID } from 'node:crypto';
import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export enum AccountTokenPurpose {
  PASSWORD_RESET = 'PASSWORD_RESET',
  EMAIL_VERIFICATION = 'EMAIL_VERIFICATION',
}

/**
 * A one-time token e-mailed to an account (password reset, e-mail verification). Global like
 * `users`; only the SHA-256 of the secret is stored, so a database read cannot use it.
 */
@Entity({ tableName: 'account_tokens' })
export class AccountToken {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  userId!: string;

  @Enum({ items: () => AccountTokenPurpose })
  purpose!: AccountTokenPurpose;

  @Property({ type: 'text' })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
