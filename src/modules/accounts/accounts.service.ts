import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../engine/context.js';
import { BadUserInputError, ConflictError } from '../../engine/graphql/errors.js';
import { spend } from '../../engine/http/rate-limit.js';
import { publishCallerChange } from '../../engine/identity/caller-cache.js';
import { ACCOUNTS_PER_EMAIL, hasVerifiedAccount } from '../../engine/identity/email-claims.js';
import { hashPassword } from '../../engine/identity/passwords.js';
import { User } from '../../engine/identity/user.entity.js';
import { normalizeEmail } from '../../engine/identity/user.service.js';
import type { AppServices } from '../../engine/services.js';
import type { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { type AccountMail, accountMailer } from './account-mailer.js';
import { AccountTokenPurpose } from './account-token.entity.js';
import { consumeAccountToken, issueAccountToken } from './account-tokens.js';

export const NEW_PASSWORD_MIN_LENGTH = 10;

/**
 * Password reset, step 1: e-mails a single-use token (30 min) to each account it may reset, if
 * the address has any. Always answers true, as fast either way (the e-mail is sent in the background).
 */
export async function requestPasswordReset(ctx: RequestContext, rawEmail: string): Promise<boolean> {
  const email = normalizeEmail(rawEmail);
  const address = ctx.clientIp ?? 'unknown';
  await spend(ctx.services.rateLimits.login, `reset:${address}|${email}`);
  await spend(ctx.services.rateLimits.loginAccount, `reset:${email}`);
  const em = ctx.services.orm.em.fork();
  const accounts = await resettableAccounts(em, email);
  const mails = accounts.map((user) => passwordResetMail(user, issueAccountToken(em, user.id, AccountTokenPurpose.PASSWORD_RESET)));
  await em.flush();
  for (const mail of mails) ctx.services.get(accountMailer).sendLater(mail);
  return true;
}

/**
 * The accounts a reset e-mail to `email` may reset: the verified one (whoever owns the mailbox
 * proved it; unverified claims of its address stay out of reach), or when none is verified, each
 * unverified account, every one with its own token that changes only that account.
 */
async function resettableAccounts(em: EntityManager, email: string): Promise<User[]> {
  const accounts = await em.find(User, { email }, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: ACCOUNTS_PER_EMAIL });
  const verified = accounts.filter((user) => user.emailVerifiedAt);
  return verified.length ? verified : accounts;
}

function passwordResetMail(user: User, token: string): AccountMail {
  return {
    to: user.email,
    subject: 'Reset your Tessera password',
    text: lines(
      'Someone asked to reset the password of the account',
      user.email,
      `created on ${day(user.createdAt)}. If it was you, use this token`,
      'with resetPassword within 30 minutes:',
      '',
      token,
      '',
      'Otherwise ignore this e-mail.',
    ),
  };
}

/** Password reset, step 2: a valid token (once, within 30 minutes) sets a new password. */
export async function resetPassword(ctx: RequestContext, token: string, newPassword: string): Promise<boolean> {
  await spend(ctx.services.rateLimits.loginAddress, ctx.clientIp ?? 'unknown');
  if (newPassword.length < NEW_PASSWORD_MIN_LENGTH) {
    throw BadUserInputError.field('newPassword', `A password needs at least ${NEW_PASSWORD_MIN_LENGTH} characters`);
  }
  const passwordHash = await hashPassword(newPassword);
  const em = ctx.services.orm.em.fork();
  const userId = await consumeAccountToken(em, token, AccountTokenPurpose.PASSWORD_RESET, {
    set: 'password_hash = ?',
    params: [passwordHash],
  });
  if (!userId) throw BadUserInputError.field('token', 'This token is invalid, expired or already used');
  return true;
}

/**
 * Marks the token's account as owning its e-mail address. Only one account per address can be
 * verified (a unique index): if another one already is, the token stays unused and the answer is CONFLICT.
 */
export async function verifyEmail(ctx: RequestContext, token: string): Promise<boolean> {
  await spend(ctx.services.rateLimits.loginAddress, ctx.clientIp ?? 'unknown');
  const em = ctx.services.orm.em.fork();
  const userId = await consumeAccountToken(em, token, AccountTokenPurpose.EMAIL_VERIFICATION, {
    set: 'email_verified_at = coalesce(users.email_verified_at, now())',
    params: [],
  }).catch((error: unknown) => {
    if (error instanceof UniqueConstraintViolationException && /users_verified_email_key/.test(error.message)) {
      throw new ConflictError('Another account already verified this e-mail address: sign in to that account instead');
    }
    throw error;
  });
  if (!userId) throw BadUserInputError.field('token', 'This token is invalid, expired or already used');
  // Written in SQL, not through the ORM: every process's cached caller forgets the old row itself.
  publishCallerChange(ctx.services.callers, ctx.services.pubSub, { userId });
  return true;
}

/**
 * For a just-created account, inside the transaction that creates it: returns what sends its
 * e-mail, to be called once the transaction has committed. When the address already has a
 * verified account, that owner gets a notice instead of a link (the new account can then never be
 * verified: one address, one verified account); otherwise a verification token is stored and sent.
 * `joined` is the tenant the account was created for: its slug tells the mailbox owner which account
 * it is (its name and the account's name are the signer's free text, kept out of the mail).
 */
export async function prepareVerificationEmail(services: AppServices, em: EntityManager, user: User, joined: Tenant): Promise<() => void> {
  const mail = (await hasVerifiedAccount(em, user.email))
    ? signUpNoticeMail(user, joined)
    : verificationMail(user, joined, issueAccountToken(em, user.id, AccountTokenPurpose.EMAIL_VERIFICATION));
  return () => services.get(accountMailer).sendLater(mail);
}

function verificationMail(user: User, joined: Tenant, token: string): AccountMail {
  return {
    to: user.email,
    subject: 'Confirm your e-mail address for Tessera',
    text: lines(
      'An account was created with the address',
      user.email,
      `for the tenant ${joined.slug}.`,
      'If it was you, confirm that the address is yours with this token',
      '(verifyEmail), within 7 days:',
      '',
      token,
      '',
      'If it was not you, ignore this e-mail: the account stays unconfirmed.',
    ),
  };
}

function signUpNoticeMail(user: User, joined: Tenant): AccountMail {
  return {
    to: user.email,
    subject: 'Someone signed up to Tessera with your e-mail address',
    text: lines(
      'Someone created another account with your address',
      user.email,
      `for the tenant ${joined.slug}. Your account is unchanged.`,
      'If it was you, sign in to your account and add the tenant from there:',
      'the new account can never be confirmed with this address.',
    ),
  };
}

/** Short lines: mail transports then keep the text as it is (a long line is re-encoded, splitting the token). */
function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
