import { expect } from 'chai';
import {
  AcceptInviteDocument,
  AuditLogDocument,
  InviteMemberDocument,
  InvitesDocument,
  MarkNotificationReadDocument,
  MembersDocument,
  NotificationsDocument,
  RemoveMemberDocument,
  RevokeInviteDocument,
  UpdateMemberRoleDocument,
} from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { accept, invite, NEW_USER_PASSWORD, newEmail } from '../../support/members.js';
import { sendNotification } from '../../support/notifications.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { Role } from '../../../src/engine/identity/roles.js';

describe('isolation: members, invites, notifications and audit events of another tenant', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let acmeMember: TestMember;
  let acmeInvite: { id: string; token: string };
  let acmeNotificationId: string;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('iso-acme'), provisionTenant('iso-globex')]);
    acmeMember = await addMember(acme, Role.MEMBER);
    acmeInvite = await invite(acme.token, newEmail(acme), Role.MANAGER);
    acmeNotificationId = await sendNotification({ tenantId: acme.id, userId: acme.ownerId, kind: 'test.secret', title: 'Acme only' });
  });

  it("globex's owner lists only globex members, invites, notifications and audit events", async () => {
    const members = ok(await execute(MembersDocument, { first: 100 }, { token: globex.token })).members!;
    expect(members.edges.map((edge) => edge.node.user.id)).to.deep.equal([globex.ownerId]);
    const invites = ok(await execute(InvitesDocument, {}, { token: globex.token })).invites!;
    expect(invites.totalCount).to.equal(0);
    const notifications = ok(await execute(NotificationsDocument, {}, { token: globex.token })).notifications!;
    // Only the owner's own welcome from provisioning; never acme's.
    expect(notifications.edges.map((edge) => edge.node.kind)).to.deep.equal(['tenant.welcome']);
    expect(notifications.edges.map((edge) => edge.node.id)).not.to.include(acmeNotificationId);
    await invite(globex.token, newEmail(globex), Role.VIEWER);
    const audit = ok(await execute(AuditLogDocument, { first: 100 }, { token: globex.token })).auditLog!;
    const ids = audit.edges.map((edge) => edge.node.id);
    expect(ids).to.have.length.greaterThan(0);
    const owners = await adminQuery<{ tenant_id: string }>('select distinct tenant_id from audit_events where id = any($1)', [ids]);
    expect(owners).to.deep.equal([{ tenant_id: globex.id }]);
  });

  it("globex's owner cannot change, remove or revoke acme's rows by their ids: NOT_FOUND, nothing changes", async () => {
    const asGlobex = { token: globex.token };
    expectError(await execute(UpdateMemberRoleDocument, { userId: acmeMember.id, role: 'VIEWER' }, asGlobex), 'NOT_FOUND');
    expectError(await execute(UpdateMemberRoleDocument, { userId: acme.ownerId, role: 'VIEWER' }, asGlobex), 'NOT_FOUND');
    expectError(await execute(RemoveMemberDocument, { userId: acmeMember.id }, asGlobex), 'NOT_FOUND');
    expectError(await execute(RevokeInviteDocument, { id: acmeInvite.id }, asGlobex), 'NOT_FOUND');
    expectError(await execute(MarkNotificationReadDocument, { id: acmeNotificationId }, asGlobex), 'NOT_FOUND');

    const [member] = await adminQuery('select role from memberships where tenant_id = $1 and user_id = $2', [acme.id, acmeMember.id]);
    expect(member).to.deep.equal({ role: 'MEMBER' });
    const [inviteRow] = await adminQuery('select revoked_at from invites where id = $1', [acmeInvite.id]);
    expect(inviteRow).to.deep.equal({ revoked_at: null });
    const [notification] = await adminQuery('select read_at from notifications where id = $1', [acmeNotificationId]);
    expect(notification).to.deep.equal({ read_at: null });
  });

  it("pointing globex's token at acme (header or forged claim) gets no access", async () => {
    const header = await execute(MembersDocument, {}, { token: globex.token, headers: { 'x-tenant-id': acme.id } });
    expectError(header, 'TENANT_MISMATCH');
    const foreignClaim = testEnv().services.tokens.sign({ sub: globex.ownerId, tid: acme.id });
    expectError(await execute(MembersDocument, {}, { token: foreignClaim }), 'FORBIDDEN');
    expectError(await execute(InviteMemberDocument, { email: newEmail(acme), role: 'OWNER' }, { token: foreignClaim }), 'FORBIDDEN');
  });

  it("a globex invite token whose tenant part is edited to acme's id joins nobody", async () => {
    const email = newEmail(globex);
    const globexInvite = await invite(globex.token, email, Role.OWNER);
    const edited = `${acme.id}.${globexInvite.token.split('.')[1]}`;
    const response = await execute(AcceptInviteDocument, { token: edited, password: NEW_USER_PASSWORD });
    expectError(response, 'BAD_USER_INPUT');
    const { count } = await adminOne<{ count: number }>('select count(*)::int from users where email = $1', [email]);
    expect(count).to.equal(0);

    const joined = await accept(globexInvite.token);
    expect(joined.tenant?.id).to.equal(globex.id);
    const rows = await adminQuery('select tenant_id, role from memberships where user_id = $1', [joined.user.id]);
    expect(rows).to.deep.equal([{ tenant_id: globex.id, role: 'OWNER' }]);
  });

  it('within one tenant, a member sees and marks only their own notifications', async () => {
    const own = await sendNotification({ tenantId: acme.id, userId: acmeMember.id, kind: 'test.own', title: 'For the member' });
    const list = ok(await execute(NotificationsDocument, {}, { token: acmeMember.token })).notifications!;
    expect(list.edges.map((edge) => edge.node.id)).to.deep.equal([own]);
    expectError(await execute(MarkNotificationReadDocument, { id: acmeNotificationId }, { token: acmeMember.token }), 'NOT_FOUND');
    const ownerList = ok(await execute(NotificationsDocument, {}, { token: acme.token })).notifications!;
    expect(ownerList.edges.map((edge) => edge.node.id)).not.to.include(own);
  });

  it('a suspended tenant keeps reading members but refuses member changes (TENANT_SUSPENDED)', async () => {
    const frozen = await provisionTenant('iso-frozen');
    const pending = await invite(frozen.token, newEmail(frozen), Role.VIEWER);
    await adminQuery(`update tenants set status = 'SUSPENDED' where id = $1`, [frozen.id]);
    testEnv().services.tenants.clear();
    ok(await execute(MembersDocument, {}, { token: frozen.token }));
    expectError(
      await execute(InviteMemberDocument, { email: newEmail(frozen), role: 'VIEWER' }, { token: frozen.token }),
      'TENANT_SUSPENDED',
    );
    expectError(await execute(RemoveMemberDocument, { userId: frozen.ownerId }, { token: frozen.token }), 'TENANT_SUSPENDED');
    expectError(await execute(AcceptInviteDocument, { token: pending.token, password: NEW_USER_PASSWORD }), 'TENANT_SUSPENDED');
  });
});
