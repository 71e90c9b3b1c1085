import { expect } from 'chai';
import { print } from 'graphql';
import { AcceptInviteDocument, AcceptInviteSignedInDocument, LoginDocument, MyMembershipsDocument } from '../../generated/graphql.js';
import { execute, ok } from '../../support/client.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { provisionTenant, TEST_PASSWORD, type TestTenant } from '../../support/fixtures.js';
import { invite, markEmailVerified, newEmail, NEW_USER_PASSWORD } from '../../support/members.js';

async function post(url: string, query: string, variables: object = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    // As the support client: request errors keep their 4xx status for graphql-response+json (GraphQL over HTTP).
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json;q=0.9', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
}

const loginOn = (url: string, email: string, headers: Record<string, string> = {}) =>
  post(url, print(LoginDocument), { input: { email, password: 'guess-guess' } }, headers);

describe('accounts: password guessing through invites and sign-in', () => {
  let attacker: TestTenant;
  let victim: TestTenant;
  let lure: TestTenant;

  before(async () => {
    [attacker, victim, lure] = await Promise.all([provisionTenant('atk'), provisionTenant('victim'), provisionTenant('lure')]);
  });

  it("an invite to someone else's e-mail never tries passwords: even the right one only creates a new account of its own", async () => {
    // Before: UNAUTHENTICATED for any password. Now an unverified e-mail is a claim: a new account, never the victim's.
    const { token } = await invite(lure.token, victim.ownerEmail, 'OWNER');
    const joined = ok(await execute(AcceptInviteDocument, { token, password: TEST_PASSWORD })).acceptInvite;
    expect(joined.user.id).not.to.equal(victim.ownerId);
    const theirs = ok(await execute(MyMembershipsDocument, {}, { token: joined.token })).myMemberships!;
    expect(theirs.map((m) => m.tenant!.id)).to.deep.equal([lure.id]);
    // Signed in as somebody else (the attacker): a new account again, not the attacker's, not the victim's.
    const otherLure = await provisionTenant('lure');
    const second = await invite(otherLure.token, victim.ownerEmail, 'VIEWER');
    const asAttacker = ok(
      await execute(AcceptInviteDocument, { token: second.token, password: TEST_PASSWORD }, { token: attacker.token }),
    ).acceptInvite;
    expect([attacker.ownerId, victim.ownerId]).not.to.include(asAttacker.user.id);
    // The victim's memberships are unchanged.
    const memberships = ok(await execute(MyMembershipsDocument, {}, { token: victim.token })).myMemberships!;
    expect(memberships.map((m) => m.tenant!.id)).to.deep.equal([victim.id]);
  });

  it('the invited account joins while signed in as itself; a new e-mail creates an account without a token', async () => {
    const { token } = await invite(attacker.token, victim.ownerEmail, 'VIEWER');
    await markEmailVerified(victim.ownerId); // (verification: email-flows.test.ts)
    const joined = ok(await execute(AcceptInviteSignedInDocument, { token }, { token: victim.token })).acceptInvite;
    expect(joined.user.id).to.equal(victim.ownerId);
    expect(joined.tenant!.id).to.equal(attacker.id);

    const email = newEmail(attacker);
    const fresh = await invite(attacker.token, email, 'MEMBER');
    const created = ok(await execute(AcceptInviteDocument, { token: fresh.token, password: NEW_USER_PASSWORD })).acceptInvite;
    expect(created.user.email).to.equal(email);
    expect(created.tenant!.id).to.equal(attacker.id);
  });
});

describe('accounts: sign-in limits', () => {
  let perAddress: ExtraServer;
  let perAccount: ExtraServer;
  let perEmail: ExtraServer;

  before(async () => {
    // In-process limiters (no REDIS_URL): counts of earlier runs cannot leak into these.
    perAddress = await startExtraServer({ RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN: '3' });
    perAccount = await startExtraServer({ RATE_LIMIT_LOGINS_PER_ACCOUNT_PER_15_MIN: '3', TRUST_PROXY: '1' });
    perEmail = await startExtraServer({ RATE_LIMIT_LOGINS_PER_15_MIN: '3' });
  });

  after(async () => {
    await Promise.all([perAddress.stop(), perAccount.stop(), perEmail.stop()]);
  });

  it('limits one address spraying many e-mails (429 with Retry-After)', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await loginOn(perAddress.url, `spray-${i}@example.com`)).body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
    }
    const blocked = await loginOn(perAddress.url, 'spray-3@example.com');
    expect(blocked.status).to.equal(429);
    expect(Number(blocked.retryAfter)).to.be.greaterThan(0);
    expect(blocked.body.errors[0].extensions.code).to.equal('RATE_LIMITED');
  });

  it('limits one account tried from many addresses (behind one trusted proxy: TRUST_PROXY=1)', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await loginOn(perAccount.url, 'target@example.com', { 'x-forwarded-for': `198.51.100.${i + 1}` });
      expect(response.body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
    }
    const blocked = await loginOn(perAccount.url, 'TARGET@example.com', { 'x-forwarded-for': '198.51.100.77' });
    expect(blocked.status).to.equal(429);
    expect(Number(blocked.retryAfter)).to.be.greaterThan(0);
  });

  it('TRUST_PROXY=1 counts the address the proxy saw; without it X-Forwarded-For is ignored', async () => {
    const email = 'proxied@example.com';
    // Default (no trusted proxy): changing the header does not reset the per-address-and-e-mail count.
    for (let i = 0; i < 3; i++) await loginOn(perEmail.url, email, { 'x-forwarded-for': `203.0.113.${i}` });
    expect((await loginOn(perEmail.url, email, { 'x-forwarded-for': '203.0.113.99' })).status).to.equal(429);

    const proxied = await startExtraServer({ RATE_LIMIT_LOGINS_PER_15_MIN: '1', TRUST_PROXY: '1' });
    try {
      // A client-written entry left of the proxy's is not believed: the proxy's view (rightmost) is the key.
      const first = await loginOn(proxied.url, email, { 'x-forwarded-for': '10.9.9.9, 192.0.2.1' });
      expect(first.body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
      expect((await loginOn(proxied.url, email, { 'x-forwarded-for': '10.1.1.1, 192.0.2.1' })).status).to.equal(429);
      const other = await loginOn(proxied.url, email, { 'x-forwarded-for': '192.0.2.2' });
      expect(other.body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
    } finally {
      await proxied.stop();
    }
  });

  it('refuses more than one credential mutation per request, aliased or through fragments, before any hashing', async () => {
    const input = '{ email: "alias@example.com", password: "guess-guess" }';
    const aliased = `mutation { ${Array.from({ length: 15 }, (_, i) => `a${i}: login(input: ${input}) { token }`).join(' ')} }`;
    const refused = await post(perEmail.url, aliased);
    expect(refused.status).to.equal(400);
    expect(refused.body.data).to.equal(undefined);
    expect(refused.body.errors[0].message).to.match(/At most one sign-in/);

    const viaFragments = `mutation { ...A ...B } fragment A on Mutation { login(input: ${input}) { token } }
      fragment B on Mutation { acceptInvite(token: "x.y", password: "guess-guess-guess") { token } }`;
    expect((await post(perEmail.url, viaFragments)).status).to.equal(400);

    // None of the refused requests spent a sign-in attempt: all three allowed ones remain.
    for (let i = 0; i < 3; i++) {
      const single = await post(perEmail.url, `mutation { login(input: ${input}) { token } }`);
      expect(single.body.errors[0].extensions.code).to.equal('UNAUTHENTICATED');
    }
  });
});
