import { expect } from 'chai';
import {
  AcceptInviteDocument,
  LoginDocument,
  MeDocument,
  MyMembershipsDocument,
  ProvisionTenantDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  SwitchTenantDocument,
  VerifyEmailDocument,
} from '../../generated/graphql.js';
import { execute, expectError, ok, type GraphQLResponse } from '../../support/client.js';
import { startExtraServer, UNLIMITED_SIGN_INS, type ExtraServer } from '../../support/extra-server.js';
import { provisionTenant, TEST_PASSWORD, uniqueSlug, waitForProvisioning, type TestTenant } from '../../support/fixtures.js';
import { invite, markEmailVerified } from '../../support/members.js';
import { SmtpStandIn } from '../../support/smtp-stand-in.js';
import { adminOne, adminQuery, sqlState } from '../../support/sql.js';

/** The attacker's own password: never the victim's. */
const ATTACKER_PASSWORD = 'the-attackers-password';

/** The one-time token in an account e-mail (on a line of its own). */
function tokenIn(raw: string): string {
  const token = /\n([A-Za-z0-9_-]{43})\r?\n/.exec(raw)?.[1];
  if (!token) throw new Error(`no token in:\n${raw}`);
  return token;
}

/** The structure of an answer: its keys and the types of its values, not the values. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
  }
  return value === null ? 'null' : typeof value;
}

function expectSameAnswers(responses: GraphQLResponse<unknown>[]): void {
  for (const response of responses) ok(response);
  const [first, ...others] = responses.map((response) => ({ status: response.status, shape: shapeOf(response.data) }));
  for (const other of others) expect(other).to.deep.equal(first);
}

async function accountsOf(email: string): Promise<{ id: string; verified: boolean }[]> {
  return adminQuery<{ id: string; verified: boolean }>(
    'select id, email_verified_at is not null as verified from users where email = $1 order by created_at',
    [email],
  );
}

describe('accounts: sign-up and invites answer the same whether the e-mail has an account or not', () => {
  let smtp: SmtpStandIn;
  let gateway: ExtraServer;

  before(async () => {
    smtp = await new SmtpStandIn().start();
    gateway = await startExtraServer({ SMTP_URL: smtp.url, RATE_LIMIT_SIGNUPS_PER_HOUR: '100000', ...UNLIMITED_SIGN_INS });
  });

  after(async () => {
    await gateway.stop();
    await smtp.stop();
  });

  const on = (token?: string) => ({ path: gateway.url, token });

  /** Two accounts to attack: one that proved its e-mail and one that never did. */
  async function victims(): Promise<{ verified: TestTenant; unverified: TestTenant }> {
    const [verified, unverified] = await Promise.all([provisionTenant('vver'), provisionTenant('vunv')]);
    await markEmailVerified(verified.ownerId);
    return { verified, unverified };
  }

  function signUp(email: string, slug = uniqueSlug('claim'), password = ATTACKER_PASSWORD) {
    const input = { name: slug, slug, ownerEmail: email, ownerPassword: password, ownerName: 'Claimant', withSampleData: false };
    return execute(ProvisionTenantDocument, { input }, on());
  }

  /** What an attacker holding `token` (a new account's, in `tenantId`) can reach, against `victim`. */
  async function expectConfinedTo(token: string, tenantId: string, victim?: TestTenant): Promise<void> {
    expect(ok(await execute(MeDocument, {}, on(token))).currentTenant?.id).to.equal(tenantId);
    const memberships = ok(await execute(MyMembershipsDocument, {}, on(token))).myMemberships!;
    expect(memberships.map((m) => m.tenant!.id)).to.deep.equal([tenantId]);
    if (!victim) return;
    expectError(await execute(SwitchTenantDocument, { tenantId: victim.id }, on(token)), 'TENANT_NOT_FOUND');
    // The victim's own password still signs the victim in to the victim's tenant; their memberships are unchanged.
    const input = { email: victim.ownerEmail, password: TEST_PASSWORD, tenantSlug: victim.slug };
    const victimLogin = ok(await execute(LoginDocument, { input }, on())).login;
    expect(victimLogin.user.id).to.equal(victim.ownerId);
    expect(victimLogin.tenant?.id).to.equal(victim.id);
    const byDefault = ok(await execute(LoginDocument, { input: { email: victim.ownerEmail, password: TEST_PASSWORD } }, on())).login;
    expect(byDefault.user.id).to.equal(victim.ownerId);
    const theirs = ok(await execute(MyMembershipsDocument, {}, on(victim.token))).myMemberships!;
    expect(theirs.map((m) => [m.tenant!.id, m.role])).to.deep.equal([[victim.id, 'OWNER']]);
  }

  it('anonymous sign-up with a new, a verified and an unverified e-mail: same answer, a new account confined to its new tenant', async () => {
    const { verified, unverified } = await victims();
    const fresh = `fresh-${uniqueSlug()}@example.com`;
    const slugs = [uniqueSlug('cnew'), uniqueSlug('cver'), uniqueSlug('cunv')];
    const emails = [fresh, verified.ownerEmail, unverified.ownerEmail];
    const responses = await Promise.all(emails.map((email, index) => signUp(email, slugs[index])));
    expectSameAnswers(responses);

    const victimsByEmail = new Map([
      [verified.ownerEmail, verified],
      [unverified.ownerEmail, unverified],
    ]);
    for (const [index, response] of responses.entries()) {
      const signedUp = response.data!.provisionTenant;
      const email = emails[index]!;
      const victim = victimsByEmail.get(email);
      expect(signedUp.tenant).to.include({ slug: slugs[index], status: 'PROVISIONING' });
      expect(signedUp.owner.email).to.equal(email);
      expect(signedUp.owner.id).not.to.equal(victim?.ownerId);
      await waitForProvisioning(signedUp.provisioning.id, signedUp.token, 'COMPLETED');
      await expectConfinedTo(signedUp.token, signedUp.tenant.id, victim);
      // The attacker's password signs in to the attacker's new account only.
      const own = ok(await execute(LoginDocument, { input: { email, password: ATTACKER_PASSWORD } }, on())).login;
      expect(own.user.id).to.equal(signedUp.owner.id);
      if (victim) {
        const intoVictim = { email, password: ATTACKER_PASSWORD, tenantSlug: victim.slug };
        expectError(await execute(LoginDocument, { input: intoVictim }, on()), 'UNAUTHENTICATED');
      }
    }

    // The owner of a verified address is told, and gets no link that could verify the new account.
    const notice = await smtp.messageTo(verified.ownerEmail, slugs[1]);
    expect(notice.raw).to.include('Someone created another account');
    expect(() => tokenIn(notice.raw)).to.throw();
    const claimOfVerified = responses[1]!.data!.provisionTenant.owner.id;
    expect(await adminQuery('select id from account_tokens where user_id = $1', [claimOfVerified])).to.deep.equal([]);
    // A new or unverified address gets the usual verification link, for the new account.
    for (const index of [0, 2]) tokenIn((await smtp.messageTo(emails[index]!, slugs[index])).raw);
  });

  it('anonymous acceptInvite with a new, a verified and an unverified e-mail: same answer, a new account in the inviting tenant only', async () => {
    const { verified, unverified } = await victims();
    const host = await provisionTenant('host');
    const emails = [`fresh-${uniqueSlug()}@example.com`, verified.ownerEmail, unverified.ownerEmail];
    const invites = await Promise.all(emails.map((email) => invite(host.token, email, 'MEMBER')));
    const responses = await Promise.all(
      invites.map(({ token }) => execute(AcceptInviteDocument, { token, password: ATTACKER_PASSWORD }, on())),
    );
    expectSameAnswers(responses);

    const victimsInOrder = [undefined, verified, unverified];
    for (const [index, response] of responses.entries()) {
      const joined = response.data!.acceptInvite;
      const victim = victimsInOrder[index];
      expect(joined.user.email).to.equal(emails[index]);
      expect(joined.user.id).not.to.equal(victim?.ownerId);
      expect(joined.tenant).to.deep.equal({ id: host.id, slug: host.slug });
      await expectConfinedTo(joined.token, host.id, victim);
    }
    // The host's new members are the new accounts, not the victims.
    const members = await adminQuery<{ user_id: string }>('select user_id from memberships where tenant_id = $1 and user_id = any($2)', [
      host.id,
      [verified.ownerId, unverified.ownerId],
    ]);
    expect(members).to.deep.equal([]);
    expect(await smtp.messageTo(verified.ownerEmail, host.slug))
      .to.have.property('raw')
      .that.includes('Someone created another account');
  });

  it('verification never yields two verified accounts for one e-mail (CONFLICT, token kept; the index is the backstop)', async () => {
    const email = `twice-${uniqueSlug()}@example.com`;
    const slugs = [uniqueSlug('one'), uniqueSlug('two'), uniqueSlug('three')];
    const first = ok(await signUp(email, slugs[0], 'first-password-1')).provisionTenant;
    const second = ok(await signUp(email, slugs[1], 'second-password-2')).provisionTenant;
    const [firstLink, secondLink] = await Promise.all(
      slugs.slice(0, 2).map(async (slug) => tokenIn((await smtp.messageTo(email, slug)).raw)),
    );

    expect(ok(await execute(VerifyEmailDocument, { token: firstLink! }, on())).verifyEmail).to.equal(true);
    const refused = await execute(VerifyEmailDocument, { token: secondLink! }, on());
    expect(refused.status).to.equal(200);
    expectError(refused, 'CONFLICT');
    expect(await accountsOf(email)).to.deep.equal([
      { id: first.owner.id, verified: true },
      { id: second.owner.id, verified: false },
    ]);
    const { unused } = await adminOne<{ unused: boolean }>(
      `select bool_and(used_at is null) as unused from account_tokens where user_id = $1 and purpose = 'EMAIL_VERIFICATION'`,
      [second.owner.id],
    );
    expect(unused).to.equal(true);
    // The unverified account still signs in to its own tenant; the verified one comes first for its own password.
    const secondLogin = ok(await execute(LoginDocument, { input: { email, password: 'second-password-2' } }, on())).login;
    expect(secondLogin.user.id).to.equal(second.owner.id);
    expect(ok(await execute(LoginDocument, { input: { email, password: 'first-password-1' } }, on())).login.user.id).to.equal(
      first.owner.id,
    );

    // Once the address is verified, a new sign-up gets the owner a notice and no verification token at all.
    const third = ok(await signUp(email, slugs[2])).provisionTenant;
    expect((await smtp.messageTo(email, slugs[2]!)).raw).to.include('Someone created another account');
    expect(await adminQuery('select id from account_tokens where user_id = $1', [third.owner.id])).to.deep.equal([]);

    // Behind the application, the database refuses a second verified account itself.
    expect(await sqlState(adminQuery('update users set email_verified_at = now() where id = $1', [second.owner.id]))).to.equal('23505');
  });

  it('caps the accounts of one address at 5, with the same answer whether a verified owner has it or not', async () => {
    const owned = await provisionTenant('capv');
    await markEmailVerified(owned.ownerId);
    for (let i = 0; i < 4; i++) ok(await signUp(owned.ownerEmail));
    const refusedOwned = await signUp(owned.ownerEmail);

    // A fresh address filled concurrently: the lock lets exactly five through.
    const fresh = `flood-${uniqueSlug()}@example.com`;
    const attempts = await Promise.all(Array.from({ length: 7 }, () => signUp(fresh)));
    expect(attempts.filter((response) => !response.errors)).to.have.length(5);
    const refusedFresh = attempts.filter((response) => response.errors);
    expect(refusedFresh).to.have.length(2);

    for (const refused of [refusedOwned, ...refusedFresh]) {
      expect(refused.status).to.equal(200);
      expect(refused.data ?? null).to.equal(null);
    }
    const answers = [refusedOwned, ...refusedFresh].map((response) => expectError(response, 'CONFLICT'));
    expect(new Set(answers.map((answer) => JSON.stringify({ message: answer.message, extensions: answer.extensions }))).size).to.equal(1);
    expect(await accountsOf(owned.ownerEmail)).to.have.length(5);
    expect(await accountsOf(fresh)).to.have.length(5);

    // The owner still signs in, and an invite to the full address answers the same CONFLICT.
    ok(await execute(LoginDocument, { input: { email: owned.ownerEmail, password: TEST_PASSWORD } }, on()));
    const { token } = await invite(owned.token, fresh, 'VIEWER');
    expect(expectError(await execute(AcceptInviteDocument, { token, password: ATTACKER_PASSWORD }, on()), 'CONFLICT').message).to.equal(
      answers[0]!.message,
    );
  });

  it("password reset touches the verified account only, or else each unverified one by its own token: never another account's", async () => {
    const owned = await provisionTenant('rstv');
    await markEmailVerified(owned.ownerId);
    const claim = ok(await signUp(owned.ownerEmail)).provisionTenant;
    ok(await execute(RequestPasswordResetDocument, { email: owned.ownerEmail }, on()));
    const resetMail = await smtp.messageTo(owned.ownerEmail, 'reset the password');
    ok(await execute(ResetPasswordDocument, { token: tokenIn(resetMail.raw), newPassword: 'owners-new-password' }, on()));
    const tokens = await adminQuery<{ user_id: string }>(
      `select user_id from account_tokens where purpose = 'PASSWORD_RESET' and user_id = any($1)`,
      [[owned.ownerId, claim.owner.id]],
    );
    expect(tokens).to.deep.equal([{ user_id: owned.ownerId }]);
    const asOwner = ok(await execute(LoginDocument, { input: { email: owned.ownerEmail, password: 'owners-new-password' } }, on())).login;
    expect(asOwner.user.id).to.equal(owned.ownerId);
    const asClaim = ok(await execute(LoginDocument, { input: { email: owned.ownerEmail, password: ATTACKER_PASSWORD } }, on())).login;
    expect(asClaim.user.id).to.equal(claim.owner.id);

    // No verified account: each unverified one gets its own e-mail, whose token changes that account only.
    const email = `unclaimed-${uniqueSlug()}@example.com`;
    const one = ok(await signUp(email, uniqueSlug('rone'), 'password-of-one')).provisionTenant;
    const two = ok(await signUp(email, uniqueSlug('rtwo'), 'password-of-two')).provisionTenant;
    ok(await execute(RequestPasswordResetDocument, { email }, on()));
    await smtp.messageTo(email, 'reset the password');
    const deadline = Date.now() + 5_000;
    while (smtp.messages.filter((m) => m.to.includes(email) && m.raw.includes('reset the password')).length < 2) {
      if (Date.now() > deadline) throw new Error('two reset e-mails did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const resetMails = smtp.messages.filter((m) => m.to.includes(email) && m.raw.includes('reset the password'));
    expect(resetMails).to.have.length(2);
    ok(await execute(ResetPasswordDocument, { token: tokenIn(resetMails[0]!.raw), newPassword: 'a-reset-password' }, on()));
    const reset = ok(await execute(LoginDocument, { input: { email, password: 'a-reset-password' } }, on())).login.user.id;
    const untouched =
      reset === one.owner.id ? { id: two.owner.id, password: 'password-of-two' } : { id: one.owner.id, password: 'password-of-one' };
    expect([one.owner.id, two.owner.id]).to.include(reset);
    const stillOld = ok(await execute(LoginDocument, { input: { email, password: untouched.password } }, on())).login;
    expect(stillOld.user.id).to.equal(untouched.id);
  });
});
