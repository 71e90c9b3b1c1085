import { expect } from 'chai';
import { AuditLogDocument, RemoveMemberDocument, RevokeInviteDocument, UpdateMemberRoleDocument } from '../../generated/graphql.js';
import { execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { accept, invite, newEmail } from '../../support/members.js';
import { sqlState, withAppRoleClient } from '../../support/sql.js';
import { Role } from '../../../src/engine/identity/roles.js';

interface EventSummary {
  action: string;
  actorUserId?: string | null;
  targetId?: string | null;
  data: unknown;
}

async function auditLog(tenant: TestTenant): Promise<EventSummary[]> {
  const log = ok(await execute(AuditLogDocument, { first: 100 }, { token: tenant.token })).auditLog!;
  return log.edges.map(({ node }) => ({ action: node.action, actorUserId: node.actorUserId, targetId: node.targetId, data: node.data }));
}

describe('audit log', () => {
  let acme: TestTenant;

  before(async () => {
    acme = await provisionTenant('audit');
  });

  it('records every change to members and invites, newest first, with who did it', async () => {
    const manager = await addMember(acme, Role.MANAGER);
    const email = newEmail(acme);
    const revoked = await invite(manager.token, email, Role.VIEWER);
    ok(await execute(RevokeInviteDocument, { id: revoked.id }, { token: manager.token }));
    const accepted = await invite(acme.token, email, Role.MEMBER);
    const joined = await accept(accepted.token);
    ok(await execute(UpdateMemberRoleDocument, { userId: joined.user.id, role: 'VIEWER' }, { token: acme.token }));
    ok(await execute(RemoveMemberDocument, { userId: joined.user.id }, { token: manager.token }));

    expect(await auditLog(acme)).to.deep.equal([
      { action: 'member.removed', actorUserId: manager.id, targetId: joined.user.id, data: { role: 'VIEWER' } },
      { action: 'member.role_changed', actorUserId: acme.ownerId, targetId: joined.user.id, data: { from: 'MEMBER', to: 'VIEWER' } },
      {
        action: 'member.joined',
        actorUserId: joined.user.id,
        targetId: joined.user.id,
        data: { inviteId: accepted.id, role: 'MEMBER', invitedBy: acme.ownerId },
      },
      { action: 'member.invited', actorUserId: acme.ownerId, targetId: accepted.id, data: { email, role: 'MEMBER' } },
      { action: 'invite.revoked', actorUserId: manager.id, targetId: revoked.id, data: { email, reason: 'revoked' } },
      { action: 'member.invited', actorUserId: manager.id, targetId: revoked.id, data: { email, role: 'VIEWER' } },
    ]);
  });

  it('writes nothing when the change is refused', async () => {
    const before = (await auditLog(acme)).length;
    expectError(await execute(RemoveMemberDocument, { userId: acme.ownerId }, { token: acme.token }), 'CONFLICT');
    expect((await auditLog(acme)).length).to.equal(before);
  });

  it('pages newest first with keyset cursors', async () => {
    const tenant = await provisionTenant('audit-pages');
    for (let i = 0; i < 5; i++) await invite(tenant.token, newEmail(tenant), Role.VIEWER);
    const first = ok(await execute(AuditLogDocument, { first: 2 }, { token: tenant.token })).auditLog!;
    const second = ok(await execute(AuditLogDocument, { first: 10, after: first.pageInfo.endCursor }, { token: tenant.token })).auditLog!;
    const times = [...first.edges, ...second.edges].map((edge) => new Date(edge.node.createdAt).getTime());
    expect(times).to.have.length(5);
    expect([...times].sort((a, b) => b - a)).to.deep.equal(times);
    expect(first.pageInfo.hasNextPage).to.equal(true);
    expect(second.pageInfo.hasNextPage).to.equal(false);
    expect(first.totalCount).to.equal(5);
  });

  it('is append-only for the app role: UPDATE, DELETE and TRUNCATE are refused even inside the tenant', async () => {
    const states = await withAppRoleClient(async (client) => {
      const inTenant = async (sql: string) => {
        await client.query('begin');
        await client.query(`select set_config('app.tenant_id', $1, true)`, [acme.id]);
        const state = await sqlState(client.query(sql));
        await client.query('rollback');
        return state;
      };
      return {
        update: await inTenant(`update audit_events set action = 'forged'`),
        delete: await inTenant('delete from audit_events'),
        truncate: await inTenant('truncate audit_events'),
        select: await inTenant('select count(*) from audit_events'),
      };
    });
    expect(states).to.deep.equal({ update: '42501', delete: '42501', truncate: '42501', select: undefined });
    expect((await auditLog(acme)).length).to.be.greaterThan(0);
  });
});
