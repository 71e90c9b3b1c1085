import { expect } from 'chai';
import { MembersDocument, RemoveMemberDocument, UpdateMemberRoleDocument } from '../../generated/graphql.js';
import { codes, execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { Role } from '../../../src/engine/identity/roles.js';

async function ownerCount(tenant: TestTenant): Promise<number> {
  const { count } = await adminOne<{ count: number }>(`select count(*)::int from memberships where tenant_id = $1 and role = 'OWNER'`, [
    tenant.id,
  ]);
  return count;
}

async function roleOf(tenant: TestTenant, userId: string): Promise<string | undefined> {
  const [row] = await adminQuery<{ role: string }>('select role from memberships where tenant_id = $1 and user_id = $2', [
    tenant.id,
    userId,
  ]);
  return row?.role;
}

describe('members: roles, removal and the last owner', () => {
  let acme: TestTenant;

  before(async () => {
    acme = await provisionTenant('roles');
  });

  it('lists members newest first with keyset paging', async () => {
    const added = [await addMember(acme, Role.VIEWER), await addMember(acme, Role.MEMBER), await addMember(acme, Role.MANAGER)] as const;
    const firstPage = ok(await execute(MembersDocument, { first: 2 }, { token: acme.token })).members!;
    expect(firstPage.edges.map((edge) => edge.node.user.id)).to.deep.equal([added[2].id, added[1].id]);
    expect(firstPage.pageInfo.hasNextPage).to.equal(true);
    const rest = ok(await execute(MembersDocument, { first: 100, after: firstPage.pageInfo.endCursor }, { token: acme.token })).members!;
    expect(rest.edges.map((edge) => edge.node.user.id)).to.include.members([added[0].id, acme.ownerId]);
    expect(firstPage.totalCount).to.equal(rest.totalCount);
    expectError(await execute(MembersDocument, { first: 101 }, { token: acme.token }), 'BAD_USER_INPUT');
    expectError(await execute(MembersDocument, { after: 'garbage' }, { token: acme.token }), 'BAD_USER_INPUT');
  });

  it('an owner changes roles; NOT_FOUND for a stranger, BAD_USER_INPUT for a malformed id', async () => {
    const member = await addMember(acme, Role.MEMBER);
    const updated = ok(
      await execute(UpdateMemberRoleDocument, { userId: member.id, role: 'MANAGER' }, { token: acme.token }),
    ).updateMemberRole!;
    expect(updated).to.deep.include({ role: 'MANAGER', user: { id: member.id, email: member.email } });
    expect(await roleOf(acme, member.id)).to.equal('MANAGER');
    const stranger = '00000000-0000-4000-8000-000000000000';
    expectError(await execute(UpdateMemberRoleDocument, { userId: stranger, role: 'VIEWER' }, { token: acme.token }), 'NOT_FOUND');
    expectError(await execute(UpdateMemberRoleDocument, { userId: 'x', role: 'VIEWER' }, { token: acme.token }), 'BAD_USER_INPUT');
  });

  it('the only owner can neither demote nor remove themselves (CONFLICT)', async () => {
    const solo = await provisionTenant('solo');
    expectError(await execute(UpdateMemberRoleDocument, { userId: solo.ownerId, role: 'MANAGER' }, { token: solo.token }), 'CONFLICT');
    expectError(await execute(RemoveMemberDocument, { userId: solo.ownerId }, { token: solo.token }), 'CONFLICT');
    expect(await ownerCount(solo)).to.equal(1);
    const kept = ok(await execute(UpdateMemberRoleDocument, { userId: solo.ownerId, role: 'OWNER' }, { token: solo.token }));
    expect(kept.updateMemberRole?.role).to.equal('OWNER');
  });

  it('with a second owner, an owner may step down or leave', async () => {
    const tenant = await provisionTenant('two');
    const second = await addMember(tenant, Role.OWNER);
    ok(await execute(UpdateMemberRoleDocument, { userId: tenant.ownerId, role: 'MEMBER' }, { token: tenant.token }));
    expect(await ownerCount(tenant)).to.equal(1);
    expectError(await execute(RemoveMemberDocument, { userId: second.id }, { token: second.token }), 'CONFLICT');
    const third = await addMember(tenant, Role.OWNER);
    expect(ok(await execute(RemoveMemberDocument, { userId: second.id }, { token: second.token })).removeMember).to.equal(true);
    expect(await roleOf(tenant, second.id)).to.equal(undefined);
    expect(await ownerCount(tenant)).to.equal(1);
    expect(await roleOf(tenant, third.id)).to.equal('OWNER');
  });

  it('two owners demoting or removing each other (or themselves) at once never leave the tenant without an owner', async function () {
    this.timeout(60_000);
    type Actor = { id: string; token: string };
    const demote = (actor: Actor, target: Actor) =>
      execute(UpdateMemberRoleDocument, { userId: target.id, role: 'VIEWER' }, { token: actor.token });
    const remove = (actor: Actor, target: Actor) => execute(RemoveMemberDocument, { userId: target.id }, { token: actor.token });
    // Each other: the loser is no longer an owner once the winner commits (FORBIDDEN). Themselves: the
    // loser would be the last owner (CONFLICT).
    const scenarios = [
      { name: 'demote each other', run: (a: Actor, b: Actor) => [demote(a, b), demote(b, a)], refusal: 'FORBIDDEN' },
      { name: 'remove each other', run: (a: Actor, b: Actor) => [remove(a, b), remove(b, a)], refusal: 'FORBIDDEN' },
      { name: 'both step down', run: (a: Actor, b: Actor) => [demote(a, a), demote(b, b)], refusal: 'CONFLICT' },
      { name: 'both leave', run: (a: Actor, b: Actor) => [remove(a, a), remove(b, b)], refusal: 'CONFLICT' },
    ];
    for (const round of [0, 1]) {
      for (const scenario of scenarios) {
        const tenant = await provisionTenant('race');
        const a = { id: tenant.ownerId, token: tenant.token };
        const b = await addMember(tenant, Role.OWNER);
        const responses = await Promise.all(scenario.run(a, b));
        const outcomes = responses.map((response) => codes(response)[0] ?? 'OK').sort();
        expect(outcomes, `${scenario.name}, round ${round}`).to.deep.equal([scenario.refusal, 'OK'].sort());
        expect(await ownerCount(tenant), `${scenario.name}, round ${round}`).to.equal(1);
      }
    }
  });

  it('a member whose role was taken away a moment ago cannot use it (re-checked under the lock)', async () => {
    const tenant = await provisionTenant('stale');
    const demoted = await addMember(tenant, Role.OWNER);
    const victim = await addMember(tenant, Role.MEMBER);
    ok(await execute(UpdateMemberRoleDocument, { userId: demoted.id, role: 'VIEWER' }, { token: tenant.token }));
    expectError(await execute(RemoveMemberDocument, { userId: victim.id }, { token: demoted.token }), 'FORBIDDEN');
    expect(await roleOf(tenant, victim.id)).to.equal('MEMBER');
  });

  describe('removeMember by role', () => {
    let manager: TestMember;

    before(async () => {
      manager = await addMember(acme, Role.MANAGER);
    });

    it('a manager removes members and viewers, never managers or owners', async () => {
      for (const role of [Role.MEMBER, Role.VIEWER]) {
        const target = await addMember(acme, role);
        expect(ok(await execute(RemoveMemberDocument, { userId: target.id }, { token: manager.token })).removeMember).to.equal(true);
        expect(await roleOf(acme, target.id)).to.equal(undefined);
      }
      for (const role of [Role.MANAGER, Role.OWNER]) {
        const target = await addMember(acme, role);
        expectError(await execute(RemoveMemberDocument, { userId: target.id }, { token: manager.token }), 'FORBIDDEN');
        expect(await roleOf(acme, target.id)).to.equal(role);
      }
    });

    it('a removed member loses access at once, with the token still unexpired', async () => {
      const target = await addMember(acme, Role.VIEWER);
      ok(await execute(MembersDocument, { first: 1 }, { token: target.token }));
      ok(await execute(RemoveMemberDocument, { userId: target.id }, { token: acme.token }));
      expectError(await execute(MembersDocument, { first: 1 }, { token: target.token }), 'FORBIDDEN');
      expectError(await execute(RemoveMemberDocument, { userId: target.id }, { token: acme.token }), 'NOT_FOUND');
    });
  });
});
