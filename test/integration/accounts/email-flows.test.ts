import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  AcceptInviteSignedInDocument,
  LoginDocument,
  ProvisionTenantDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  VerifyEmailDocument,
} from '../../generated/graphql.js';
import { execute, expectError, ok } from '../../support/client.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { addMember, provisionTenant, TEST_PASSWORD, uniqueSlug, waitForProvisioning, type TestTenant } from '../../support/fixtures.js';
import { invite } from '../../support/members.js';
import { SmtpStandIn } from '../../support/smtp-stand-in.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { Role } from '../../../src/engine/identity/roles.js';

/** The one-time token in an account e-mail (on a line of its own). */
function tokenIn(raw: string): string {
  const token = /\n([A-Za-z0-9_-]{43})\r?\n/.exec(raw)?.[1];
  if (!token) throw new Error(`no token in:\n${raw}`);
  return token;
}

describe('accounts: e-mail verification and password reset', () => {
  let smtp: SmtpStandIn;
  let gateway: ExtraServer;
  let acme: TestTenant;

  before(async () => {
    smtp = await new SmtpStandIn().start();
    gateway = await startExtraServer({ SMTP_URL: smtp.url, RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN: '100000' });
    acme = await provisionTenant('mail');
  });

  after(async () => {
    await gateway.stop();
    await smtp.stop();
  });

  const on = (token?: string) => ({ path: gateway.url, token });

  it('a new account signs in to its own tenant unverified, joins another tenant only after verifying its e-mail', async () => {
    const slug = uniqueSlug('fresh');
    const email = `owner@${slug}.example.com`;
    const input = { name: slug, slug, ownerEmail: email, ownerPassword: TEST_PASSWORD, ownerName: 'Fresh', withSampleData: false };
    const signedUp = ok(await execute(ProvisionTenantDocument, { input }, on())).provisionTenant;
    await waitForProvisioning(signedUp.provisioning.id, signedUp.token, 'COMPLETED');
    const mail = await smtp.messageTo(email, 'Confirm');
    const verification = tokenIn(mail.raw);

    const own = ok(await execute(LoginDocument, { input: { email, password: TEST_PASSWORD } }, on())).login;
    expect(own.tenant?.slug).to.equal(slug);

    const { token: inviteToken } = await invite(acme.token, email, 'MEMBER');
    expectError(await execute(AcceptInviteSignedInDocument, { token: inviteToken }, on(own.token)), 'FORBIDDEN');

    expect(ok(await execute(VerifyEmailDocument, { token: verification }, on())).verifyEmail).to.equal(true);
    expectError(await execute(VerifyEmailDocument, { token: verification }, on()), 'BAD_USER_INPUT');
    const joined = ok(await execute(AcceptInviteSignedInDocument, { token: inviteToken }, on(own.token))).acceptInvite;
    expect(joined.tenant?.id).to.equal(acme.id);
  });

  it('resets a password by e-mail: same answer for unknown e-mails, token hashed, single use, 30 minutes', async () => {
    const member = await addMember(acme, Role.MEMBER);
    expect(ok(await execute(RequestPasswordResetDocument, { email: member.email.toUpperCase() }, on())).requestPasswordReset).to.equal(
      true,
    );
    const unknown = `nobody-${uniqueSlug()}@example.com`;
    expect(ok(await execute(RequestPasswordResetDocument, { email: unknown }, on())).requestPasswordReset).to.equal(true);
    const token = tokenIn((await smtp.messageTo(member.email, 'reset')).raw);

    const stored = await adminOne<{ token_hash: string; expires_in: number }>(
      `select token_hash, extract(epoch from expires_at - now())::int as expires_in from account_tokens
       where user_id = $1 and purpose = 'PASSWORD_RESET'`,
      [member.id],
    );
    expect(stored.token_hash).to.equal(createHash('sha256').update(token).digest('hex'));
    expect(stored.expires_in).to.be.within(29 * 60, 30 * 60);

    const short = expectError(await execute(ResetPasswordDocument, { token, newPassword: 'short' }, on()), 'BAD_USER_INPUT');
    expect(short.message).to.match(/^newPassword:/);
    expect(ok(await execute(ResetPasswordDocument, { token, newPassword: 'a-brand-new-password' }, on())).resetPassword).to.equal(true);
    expectError(await execute(ResetPasswordDocument, { token, newPassword: 'another-new-password' }, on()), 'BAD_USER_INPUT');
    expectError(await execute(LoginDocument, { input: { email: member.email, password: TEST_PASSWORD } }, on()), 'UNAUTHENTICATED');
    ok(await execute(LoginDocument, { input: { email: member.email, password: 'a-brand-new-password' } }, on()));

    // Expired: a token older than 30 minutes does nothing.
    ok(await execute(RequestPasswordResetDocument, { email: member.email }, on()));
    await waitForSecondMail(smtp, member.email);
    const expired = tokenIn(smtp.messages.filter((m) => m.to.includes(member.email)).at(-1)!.raw);
    await adminQuery(`update account_tokens set expires_at = now() - interval '1 minute' where user_id = $1 and used_at is null`, [
      member.id,
    ]);
    expectError(await execute(ResetPasswordDocument, { token: expired, newPassword: 'a-third-new-password' }, on()), 'BAD_USER_INPUT');
    expect(smtp.messages.some((m) => m.to.includes(unknown))).to.equal(false);
  });
});

async function waitForSecondMail(smtp: SmtpStandIn, address: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (smtp.messages.filter((m) => m.to.includes(address)).length < 2) {
    if (Date.now() > deadline) throw new Error('second e-mail did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
