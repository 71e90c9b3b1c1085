import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../graphql/errors.js';
import { User } from './user.entity.js';

/**
 * An unverified account's e-mail is a claim, not an identity: anyone may create an account with
 * any address, and only verifying proves it (the address is unique among verified accounts only).
 * So that nobody can flood an address, it holds at most this many accounts, verified or not; the
 * count includes every account, so the refusal says nothing about who owns the address.
 */
export const ACCOUNTS_PER_EMAIL = 5;

export interface NewAccount {
  /** Normalised (`normalizeEmail`). */
  email: string;
  name: string;
  passwordHash: string;
}

/**
 * Creates an unverified account for `account.email` whatever accounts the address already has
 * (sign-up and invites must not answer differently for a known address). Inside the caller's
 * transaction: the address is locked until it commits, so concurrent sign-ups cannot pass the cap.
 * `field` names the input that carried the address, for the CONFLICT at the cap.
 */
export async function createAccountClaim(em: EntityManager, account: NewAccount, field = 'email'): Promise<User> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`users.email:${account.email}`]);
  if ((await em.count(User, { email: account.email })) >= ACCOUNTS_PER_EMAIL) {
    throw new ConflictError(
      `This e-mail address already has ${ACCOUNTS_PER_EMAIL} accounts, the most it may have: sign in to one of them instead`,
      field,
    );
  }
  return em.create(User, account);
}

/** Whether someone proved they own `email` (a verified account has it). */
export async function hasVerifiedAccount(em: EntityManager, email: string): Promise<boolean> {
  return (await em.count(User, { email, emailVerifiedAt: { $ne: null } })) > 0;
}
