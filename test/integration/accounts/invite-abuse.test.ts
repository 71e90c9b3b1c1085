import { expect } from 'chai';
import { InviteMemberDocument } from '../../generated/graphql.js';
import { execute, expectError, ok } from '../../support/client.js';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { accept, invite, newEmail } from '../../support/members.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { Role } from '../../../src/engine/identity/roles.js';

describe('accounts: invites cannot be sprayed or downgraded', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let limited: ExtraServer;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('inva'), provisionTenant('invb')]);
    // In-process limiter: counts of earlier runs cannot leak in.
    limited = await startExtraServer({ RATE_LIMIT_INVITES_PER_TENANT_PER_HOUR: '2' });
  });

  after(() => limited.stop());

  it('limits inviteMember per tenant (RATE_LIMITED), whoever invites; other tenants are unaffected', async () => {
    const manager = await addMember(acme, Role.MANAGER);
    const inviteOn = (token: string, tenant: TestTenant) =>
      execute(InviteMemberDocument, { email: newEmail(tenant), role: 'VIEWER' }, { token, path: limited.url });
    ok(await inviteOn(acme.token, acme));
    ok(await inviteOn(manager.token, acme));
    const blocked = await inviteOn(acme.token, acme);
    expect(blocked.status).to.equal(429);
    expectError(blocked, 'RATE_LIMITED');
    ok(await inviteOn(globex.token, globex));
  });

  it("a manager's re-invite never replaces an owner's invite of a higher role (CONFLICT); the owner's stays usable", async () => {
    const manager = await addMember(acme, Role.MANAGER);
    const email = newEmail(acme);
    const ownersInvite = await invite(acme.token, email, 'MANAGER');
    expectError(await execute(InviteMemberDocument, { email, role: 'VIEWER' }, { token: manager.token }), 'CONFLICT');
    const joined = await accept(ownersInvite.token);
    const [row] = await adminQuery('select role from memberships where tenant_id = $1 and user_id = $2', [acme.id, joined.user.id]);
    expect(row).to.deep.equal({ role: 'MANAGER' });

    // A manager may still replace an invite it could revoke itself.
    const other = newEmail(acme);
    const first = await invite(manager.token, other, 'VIEWER');
    await invite(manager.token, other, 'MEMBER');
    const { revoked } = await adminOne<{ revoked: boolean }>('select revoked_at is not null as revoked from invites where id = $1', [
      first.id,
    ]);
    expect(revoked).to.equal(true);
  });
});
