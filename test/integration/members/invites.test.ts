import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  AcceptInviteDocument,
  AcceptInviteSignedInDocument,
  InviteMemberDocument,
  InvitesDocument,
  LoginDocument,
  MeDocument,
  MembersDocument,
  MyMembershipsDocument,
  RevokeInviteDocument,
  SwitchTenantDocument,
} from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, expectError, ok } from '../../support/client.js';
import { startExtraServer } from '../../support/extra-server.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { accept, invite, markEmailVerified, NEW_USER_PASSWORD, newEmail } from '../../support/members.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { Role } from '../../../src/engine/identity/roles.js';
import { itemAt } from '../../support/lists.js';

const INVALID_INVITE = 'token: This invite is invalid, expired or already used';

async function expectInvalidInvite(token: string, password = NEW_USER_PASSWORD): Promise<void> {
  const response = await execute(AcceptInviteDocument, { token, password });
  expect(response.status, token).to.equal(200);
  expect(expectError(response, 'BAD_USER_INPUT').message, token).to.equal(INVALID_INVITE);
}

describe('members: invites and accepting them', () => {
  let acme: TestTenant;
  let globex: TestTenant;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('inv-acme'), provisionTenant('inv-globex')]);
  });

  it('a new user accepts, joins with the invited role and can sign in there', async () => {
    const email = newEmail(acme);
    const created = ok(
      await execute(InviteMemberDocument, { email: email.toUpperCase(), role: 'MEMBER' }, { token: acme.token }),
    ).inviteMember!;
    expect(created).to.include({ email, role: 'MEMBER', status: 'PENDING' });
    expect(created.token).to.match(new RegExp(`^${acme.id}\\.[A-Za-z0-9_-]{43}$`));
    expect(new Date(created.expiresAt).getTime() - Date.now()).to.be.closeTo(7 * 24 * 3600 * 1000, 60_000);

    const secret = itemAt(created.token!.split('.'), 1);
    const stored = await adminOne<Record<string, unknown>>('select * from invites where id = $1', [created.id]);
    expect(stored.token_hash).to.equal(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.to.include(secret);

    const joined = await accept(created.token!, NEW_USER_PASSWORD, 'Nova Member');
    expect(joined.user).to.include({ email, name: 'Nova Member' });
    expect(joined.tenant).to.deep.equal({ id: acme.id, slug: acme.slug });
    const me = ok(await execute(MeDocument, {}, { token: joined.token }));
    expect(me.currentTenant?.id).to.equal(acme.id);

    const members = ok(await execute(MembersDocument, {}, { token: acme.token })).members!;
    expect(members.edges.map((edge) => [edge.node.user.email, edge.node.role])).to.deep.include([email, 'MEMBER']);
    const login = ok(await execute(LoginDocument, { input: { email, password: NEW_USER_PASSWORD } }));
    expect(login.login.tenant?.id).to.equal(acme.id);

    const listed = ok(await execute(InvitesDocument, {}, { token: acme.token })).invites!;
    const node = listed.edges.find((edge) => edge.node.id === created.id)!.node;
    expect(node).to.include({ status: 'ACCEPTED', token: null });
  });

  it('an existing user accepts while signed in (no password), then belongs to both tenants and can switch', async () => {
    // (Anonymously, even with the right password, an invite never joins an existing account: sign-up-claims.test.ts.)
    const { token } = await invite(acme.token, globex.ownerEmail, 'VIEWER');
    await markEmailVerified(globex.ownerId);
    const joined = ok(await execute(AcceptInviteSignedInDocument, { token }, { token: globex.token })).acceptInvite;
    expect(joined.user.id).to.equal(globex.ownerId);
    const memberships = ok(await execute(MyMembershipsDocument, {}, { token: joined.token })).myMemberships!;
    expect(Object.fromEntries(memberships.map((m) => [m.tenant!.id, m.role]))).to.deep.equal({ [globex.id]: 'OWNER', [acme.id]: 'VIEWER' });
    const switched = ok(await execute(SwitchTenantDocument, { tenantId: acme.id }, { token: globex.token })).switchTenant;
    expect(switched.tenant?.id).to.equal(acme.id);
    const { count } = await adminOne<{ count: number }>('select count(*)::int from users where email = $1', [globex.ownerEmail]);
    expect(count).to.equal(1);
  });

  it('a new account needs a 10-character password (BAD_USER_INPUT) and the invite stays usable', async () => {
    const { token } = await invite(acme.token, newEmail(acme), 'VIEWER');
    const error = expectError(await execute(AcceptInviteDocument, { token, password: 'short' }), 'BAD_USER_INPUT');
    expect(error.message).to.match(/^password:/);
    await accept(token);
  });

  it('refuses to invite a member (CONFLICT), and a new invite replaces the open one', async () => {
    const member = await addMember(acme, Role.MEMBER);
    expectError(await execute(InviteMemberDocument, { email: member.email, role: 'VIEWER' }, { token: acme.token }), 'CONFLICT');

    const email = newEmail(acme);
    const first = await invite(acme.token, email, 'VIEWER');
    const second = await invite(acme.token, email, 'MEMBER');
    await expectInvalidInvite(first.token);
    const joined = await accept(second.token);
    const [row] = await adminQuery('select role from memberships where tenant_id = $1 and user_id = $2', [acme.id, joined.user.id]);
    expect(row).to.deep.equal({ role: 'MEMBER' });
  });

  it('gives one answer for used, expired, revoked, forged and malformed tokens, never a 500', async () => {
    const used = await invite(acme.token, newEmail(acme), 'VIEWER');
    await accept(used.token);
    await expectInvalidInvite(used.token);

    const expired = await invite(acme.token, newEmail(acme), 'VIEWER');
    await adminQuery(`update invites set created_at = now() - interval '8 days', expires_at = now() - interval '1 day' where id = $1`, [
      expired.id,
    ]);
    await expectInvalidInvite(expired.token);

    const revoked = await invite(acme.token, newEmail(acme), 'VIEWER');
    ok(await execute(RevokeInviteDocument, { id: revoked.id }, { token: acme.token }));
    await expectInvalidInvite(revoked.token);

    const secret = itemAt(used.token.split('.'), 1);
    const forged = [
      `${acme.id}.${'A'.repeat(43)}`,
      `${globex.id}.${secret}`,
      `00000000-0000-4000-8000-000000000000.${secret}`,
      `not-a-uuid.${secret}`,
      `${acme.id}`,
      `${acme.id}.`,
      `${acme.id}.${secret}.extra`,
      `${acme.id}.${secret.slice(1)}`,
      `${acme.id}.${secret}=`,
      `'; drop table invites; --.${secret}`,
      '',
      '.',
      'x'.repeat(10_000),
    ];
    for (const token of forged) await expectInvalidInvite(token);
  });

  it('only one of two concurrent accepts of the same token wins', async () => {
    const email = newEmail(acme);
    const { token } = await invite(acme.token, email, 'MEMBER');
    const responses = await Promise.all([1, 2].map(() => execute(AcceptInviteDocument, { token, password: NEW_USER_PASSWORD })));
    const outcomes = responses.map((response) => (response.errors ? response.errors[0]?.extensions?.code : 'OK')).sort();
    expect(outcomes).to.deep.equal(['BAD_USER_INPUT', 'OK']);
    const { count } = await adminOne<{ count: number }>(
      'select count(*)::int from memberships m join users u on u.id = m.user_id where m.tenant_id = $1 and u.email = $2',
      [acme.id, email],
    );
    expect(count).to.equal(1);
  });

  it('revokeInvite: CONFLICT for an accepted invite, NOT_FOUND for an unknown id, BAD_USER_INPUT for a malformed one', async () => {
    const used = await invite(acme.token, newEmail(acme), 'VIEWER');
    await accept(used.token);
    expectError(await execute(RevokeInviteDocument, { id: used.id }, { token: acme.token }), 'CONFLICT');
    expectError(await execute(RevokeInviteDocument, { id: '00000000-0000-4000-8000-000000000000' }, { token: acme.token }), 'NOT_FOUND');
    expectError(await execute(RevokeInviteDocument, { id: 'nope' }, { token: acme.token }), 'BAD_USER_INPUT');
  });

  it('limits attempts on one invite token whatever the address (RATE_LIMITED)', async () => {
    const gateway = await startExtraServer({
      REDIS_URL: testEnv().redisUrl,
      RATE_LIMIT_LOGINS_PER_15_MIN: '2',
      RATE_LIMIT_LOGINS_PER_ADDRESS_PER_15_MIN: '100000',
    });
    try {
      const { token } = await invite(acme.token, newEmail(acme), 'VIEWER');
      const attempt = () => execute(AcceptInviteDocument, { token, password: 'short' }, { path: gateway.url });
      expectError(await attempt(), 'BAD_USER_INPUT');
      expectError(await attempt(), 'BAD_USER_INPUT');
      expectError(await attempt(), 'RATE_LIMITED');
    } finally {
      await gateway.stop();
    }
  });

  it('validates inviteMember arguments with BAD_USER_INPUT', async () => {
    for (const email of ['not-an-email', '', `${'x'.repeat(320)}@example.com`]) {
      expectError(await execute(InviteMemberDocument, { email, role: 'VIEWER' }, { token: acme.token }), 'BAD_USER_INPUT');
    }
    const badRole = await execute(InviteMemberDocument, { email: newEmail(acme), role: 'KING' as 'VIEWER' }, { token: acme.token });
    expectError(badRole, 'BAD_USER_INPUT');
  });
});
