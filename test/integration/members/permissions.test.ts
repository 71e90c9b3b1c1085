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
import { codes, execute, type GraphQLResponse } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { invite, NEW_USER_PASSWORD, newEmail } from '../../support/members.js';
import { Role } from '../../../src/engine/identity/roles.js';

type Caller = 'ANONYMOUS' | Role;
const CALLERS: Caller[] = ['ANONYMOUS', Role.VIEWER, Role.MEMBER, Role.MANAGER, Role.OWNER];
const RANK: Record<Caller, number> = { ANONYMOUS: 0, VIEWER: 1, MEMBER: 2, MANAGER: 3, OWNER: 4 };

interface Operation {
  name: string;
  /** The lowest role allowed; 'ANONYMOUS' means public. */
  minimum: Caller;
  /** What an allowed caller gets, when it is an error by design (an unknown id). */
  allowedCode?: string;
  run(token: string | undefined): Promise<GraphQLResponse<unknown>>;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('members, invites, audit log and notifications: every role × operation', () => {
  let tenant: TestTenant;
  const tokens: Partial<Record<Caller, string>> = {};

  before(async () => {
    // The matrix invites more people than PRO's 25 seats.
    tenant = await provisionTenant('matrix', 'ENTERPRISE');
    tokens.OWNER = tenant.token;
    for (const role of [Role.MANAGER, Role.MEMBER, Role.VIEWER]) tokens[role] = (await addMember(tenant, role)).token;
  });

  const operations: Operation[] = [
    { name: 'members', minimum: Role.VIEWER, run: (token) => execute(MembersDocument, {}, { token }) },
    { name: 'invites', minimum: Role.MANAGER, run: (token) => execute(InvitesDocument, {}, { token }) },
    { name: 'notifications', minimum: Role.VIEWER, run: (token) => execute(NotificationsDocument, {}, { token }) },
    { name: 'auditLog', minimum: Role.OWNER, run: (token) => execute(AuditLogDocument, {}, { token }) },
    {
      name: 'markNotificationRead (unknown id)',
      minimum: Role.VIEWER,
      allowedCode: 'NOT_FOUND',
      run: (token) => execute(MarkNotificationReadDocument, { id: UNKNOWN_ID }, { token }),
    },
    ...[Role.VIEWER, Role.MEMBER, Role.MANAGER, Role.OWNER].map((role): Operation => ({
      name: `inviteMember (role ${role})`,
      minimum: role === Role.VIEWER || role === Role.MEMBER ? Role.MANAGER : Role.OWNER,
      run: (token) => execute(InviteMemberDocument, { email: newEmail(tenant), role }, { token }),
    })),
    ...[Role.MEMBER, Role.MANAGER].map((role): Operation => ({
      name: `revokeInvite (invite for ${role})`,
      minimum: role === Role.MEMBER ? Role.MANAGER : Role.OWNER,
      run: async (token) => execute(RevokeInviteDocument, { id: (await invite(tenant.token, newEmail(tenant), role)).id }, { token }),
    })),
    {
      name: 'updateMemberRole',
      minimum: Role.OWNER,
      run: async (token) =>
        execute(UpdateMemberRoleDocument, { userId: (await addMember(tenant, Role.VIEWER)).id, role: 'MEMBER' }, { token }),
    },
    ...[Role.VIEWER, Role.MEMBER, Role.MANAGER, Role.OWNER].map((role): Operation => ({
      name: `removeMember (target ${role})`,
      minimum: role === Role.VIEWER || role === Role.MEMBER ? Role.MANAGER : Role.OWNER,
      run: async (token) => execute(RemoveMemberDocument, { userId: (await addMember(tenant, role)).id }, { token }),
    })),
    {
      name: 'acceptInvite',
      minimum: 'ANONYMOUS',
      run: async (token) => {
        const { token: inviteToken } = await invite(tenant.token, newEmail(tenant), Role.VIEWER);
        return execute(AcceptInviteDocument, { token: inviteToken, password: NEW_USER_PASSWORD }, { token });
      },
    },
  ];

  for (const operation of operations) {
    it(operation.name, async () => {
      for (const caller of CALLERS) {
        const response = await operation.run(tokens[caller]);
        const allowed = RANK[caller] >= RANK[operation.minimum];
        const denial = caller === 'ANONYMOUS' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        const expected = allowed ? (operation.allowedCode ? [operation.allowedCode] : []) : [denial];
        expect(codes(response), `${operation.name} by ${caller}: ${JSON.stringify(response.errors)}`).to.deep.equal(expected);
        if (!allowed)
          expect(
            Object.values(response.data ?? {}).every((value) => value === null),
            caller,
          ).to.equal(true);
      }
    });
  }
});
