import { Arg, Ctx, Extensions, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { CREDENTIAL_MUTATION } from '../../engine/graphql/credential-mutations.js';
import { OWN_SESSIONS } from '../../engine/graphql/own-sessions.js';
import { BadUserInputError } from '../../engine/graphql/errors.js';
import { requestPasswordReset, resetPassword, verifyEmail } from './accounts.service.js';

/** E-mailed account tokens: password reset and e-mail verification. Each field opens its own session (`OWN_SESSIONS`). */
@Resolver()
export class AccountsResolver {
  @Extensions(CREDENTIAL_MUTATION)
  @Extensions(OWN_SESSIONS)
  @Mutation(() => Boolean, {
    description: 'Public: e-mails a password-reset token (single use, 30 minutes) if the address has an account. Always true.',
  })
  requestPasswordReset(
    @Arg('email', () => String, { description: 'The e-mail address of the account.' }) email: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return requestPasswordReset(ctx, checkedEmail(email));
  }

  @Extensions(CREDENTIAL_MUTATION)
  @Extensions(OWN_SESSIONS)
  @Mutation(() => Boolean, {
    description: 'Public: sets a new password (10+ characters) with a reset token. Invalid, expired or used: BAD_USER_INPUT.',
  })
  resetPassword(
    @Arg('token', () => String, { description: 'The reset token from the e-mail.' }) token: string,
    @Arg('newPassword', () => String, { description: 'The new password, at least 10 characters.' }) newPassword: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return resetPassword(ctx, token, checkedLength('newPassword', newPassword, 200));
  }

  @Extensions(CREDENTIAL_MUTATION)
  @Extensions(OWN_SESSIONS)
  @Mutation(() => Boolean, { description: 'Public: confirms an account e-mail address with the token e-mailed at sign-up.' })
  verifyEmail(
    @Arg('token', () => String, { description: 'The verification token from the sign-up e-mail.' }) token: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return verifyEmail(ctx, checkedLength('token', token, 200));
  }
}

function checkedLength(field: string, value: string, max: number): string {
  if (value.length > max) throw BadUserInputError.field(field, `At most ${max} characters`);
  return value;
}

function checkedEmail(email: string): string {
  if (email.length > 320 || !/^[^@\s]+@[^@\s]+$/.test(email)) throw BadUserInputError.field('email', 'Must be an e-mail address');
  return email;
}
