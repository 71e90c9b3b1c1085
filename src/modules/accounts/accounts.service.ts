import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../engine/context.js';
import { BadUserInputError } from '../../engine/graphql/errors.js';
import { spend } from '../../engine/http/rate-limit.js';
import { publishCallerChange } from '../../engine/identity/caller-cache.js';
import { hashPassword } from '../../engine/identity/passwords.js';
import { User } from '../../engine/identity/user.entity.js';
import { normalizeEmail } from '../../engine/identity/user.service.js';
import type { AppServices } from '../../engine/services.js';
import { accountMailer } from './account-mailer.js';
import { AccountTokenPurpose } from './account-token.entity.js';
import { consumeAccountToken, issueAccountToken } from './account-tokens.js';

export const NEW_PASSWORD_MIN_LENGTH = 10;

/**
 * Password reset, step 1: e-mails a single-use token (30 min) if the address has an account.
 * Always answers true, as fast either way (the e-mail is sent in the background).
 */
export async function requestPasswordReset(ctx: RequestContext, rawEmail: string): Promise<boolean> {
  const email = normalizeEmail(rawEmail);
  const address = ctx.clientIp ?? 'unknown';
  await spend(ctx.services.rateLimits.login, `reset:${address}|${email}`);
  await spend(ctx.services.rateLimits.loginAccount, `reset:${email}`);
  const em = ctx.services.orm.em.fork();
  const user = await em.findOne(User, { email });
  if (!user) return true;
  const token = issueAccountToken(em, user.id, AccountTokenPurpose.PASSWORD_RESET);
  await em.flush();
  ctx.services.get(accountMailer).sendLater({
    to: user.email,
    subject: 'Reset your Tessera password',
    text: `Someone asked to reset the password of ${user.email}. If it was you, use this token with resetPassword within 30 minutes:\n\n${token}\n\nOtherwise ignore this e-mail.\n`,
  });
  return true;
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

/** Marks the token's account as owning its e-mail address. */
export async function verifyEmail(ctx: RequestContext, token: string): Promise<boolean> {
  await spend(ctx.services.rateLimits.loginAddress, ctx.clientIp ?? 'unknown');
  const em = ctx.services.orm.em.fork();
  const userId = await consumeAccountToken(em, token, AccountTokenPurpose.EMAIL_VERIFICATION, {
    set: 'email_verified_at = coalesce(users.email_verified_at, now())',
    params: [],
  });
  if (!userId) throw BadUserInputError.field('token', 'This token is invalid, expired or already used');
  // Written in SQL, not through the ORM: every process's cached caller forgets the old row itself.
  publishCallerChange(ctx.services.callers, ctx.services.pubSub, { userId });
  return true;
}

/**
 * For a just-created account, inside the transaction that creates it: stores a verification token
 * and returns what sends its e-mail, to be called once the transaction has committed.
 */
export function prepareVerificationEmail(services: AppServices, em: EntityManager, user: User): () => void {
  const token = issueAccountToken(em, user.id, AccountTokenPurpose.EMAIL_VERIFICATION);
  return () =>
    services.get(accountMailer).sendLater({
      to: user.email,
      subject: 'Confirm your e-mail address for Tessera',
      text: `Confirm that ${user.email} is yours with this token (verifyEmail), within 7 days:\n\n${token}\n`,
    });
}
