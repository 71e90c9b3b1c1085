import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { PROJECT_TRANSITIONS } from '../../../src/modules/projects/project-workflow.js';
import { ProjectStatus } from '../../../src/modules/projects/project.enums.js';
import { ProjectDocument, TransitionProjectDocument } from '../../generated/graphql.js';
import { codes, execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject, setProjectStatus } from '../../support/projects.js';
import { adminOne, adminQuery } from '../../support/sql.js';
import { itemAt } from '../../support/lists.js';

const ROLES_HIGH_TO_LOW = [Role.OWNER, Role.MANAGER, Role.MEMBER, Role.VIEWER];
const roleBelow = (role: Role) => itemAt(ROLES_HIGH_TO_LOW, ROLES_HIGH_TO_LOW.indexOf(role) + 1);
const STATUSES = Object.values(ProjectStatus);
const inTable = (from: ProjectStatus, to: ProjectStatus) =>
  PROJECT_TRANSITIONS.some((transition) => transition.from === from && transition.to === to);

async function storedStatus(projectId: string): Promise<string> {
  const row = await adminOne<{ status: string }>('select status from projects where id = $1', [projectId]);
  return row.status;
}

describe('project approval workflow (iterating the transition table)', () => {
  let tenant: TestTenant;
  const tokens = {} as Record<Role, string>;

  before(async () => {
    tenant = await provisionTenant('flow');
    tokens[Role.OWNER] = tenant.token;
    for (const role of [Role.MANAGER, Role.MEMBER, Role.VIEWER]) tokens[role] = (await addMember(tenant, role)).token;
  });

  async function projectIn(status: ProjectStatus): Promise<string> {
    const projectId = await createProject(tokens[Role.MEMBER]);
    await setProjectStatus(projectId, status);
    return projectId;
  }

  it('has the approval workflow moves, archiving from every status but ARCHIVED', () => {
    expect(PROJECT_TRANSITIONS).to.have.length(6 + STATUSES.length - 1);
    const archivable = STATUSES.filter((from) => from !== ProjectStatus.ARCHIVED);
    expect(archivable.every((from) => inTable(from, ProjectStatus.ARCHIVED))).to.equal(true);
  });

  for (const { from, to, minimumRole } of PROJECT_TRANSITIONS) {
    const below = roleBelow(minimumRole);
    it(`${from} → ${to}: ${minimumRole} may, ${below} gets FORBIDDEN; the move is audited`, async () => {
      const projectId = await projectIn(from);
      const refused = await execute(TransitionProjectDocument, { id: projectId, to }, { token: tokens[below] });
      expectError(refused, 'FORBIDDEN');
      expect(await storedStatus(projectId)).to.equal(from);

      const moved = ok(await execute(TransitionProjectDocument, { id: projectId, to }, { token: tokens[minimumRole] }));
      expect(moved.transitionProject).to.deep.equal({ id: projectId, status: to });
      expect(await storedStatus(projectId)).to.equal(to);
      const audit = await adminQuery('select action, data from audit_events where tenant_id = $1 and target_id = $2', [
        tenant.id,
        projectId,
      ]);
      expect(audit).to.deep.equal([{ action: 'project.transition', data: { from, to } }]);
    });
  }

  for (const from of STATUSES) {
    const missing = STATUSES.filter((to) => !inTable(from, to));
    it(`from ${from}: ${missing.join(', ')} are INVALID_TRANSITION, even for the OWNER`, async () => {
      const projectId = await projectIn(from);
      for (const to of missing) {
        const response = await execute(TransitionProjectDocument, { id: projectId, to }, { token: tokens[Role.OWNER] });
        const error = expectError(response, 'INVALID_TRANSITION');
        expect(error.extensions).to.include({ from, to });
      }
      expect(await storedStatus(projectId)).to.equal(from);
    });
  }

  it('tells each role which moves it may make (allowedTransitions)', async () => {
    const projectId = await projectIn(ProjectStatus.SUBMITTED);
    for (const role of ROLES_HIGH_TO_LOW) {
      const project = ok(await execute(ProjectDocument, { id: projectId }, { token: tokens[role] })).project!;
      const expected = PROJECT_TRANSITIONS.filter(
        (t) => t.from === ProjectStatus.SUBMITTED && ROLES_HIGH_TO_LOW.indexOf(role) <= ROLES_HIGH_TO_LOW.indexOf(t.minimumRole),
      ).map((t) => t.to);
      expect(project.allowedTransitions, role).to.deep.equal(expected);
    }
  });

  it('lets only one of two concurrent moves from the same status succeed (row locked FOR UPDATE)', async () => {
    for (let round = 0; round < 5; round++) {
      const projectId = await projectIn(ProjectStatus.SUBMITTED);
      const responses = await Promise.all(
        [ProjectStatus.APPROVED, ProjectStatus.REJECTED].map((to) =>
          execute(TransitionProjectDocument, { id: projectId, to }, { token: tokens[Role.MANAGER] }),
        ),
      );
      const winners = responses.filter((response) => !response.errors);
      expect(winners, JSON.stringify(responses)).to.have.length(1);
      expect(responses.flatMap(codes)).to.deep.equal(['INVALID_TRANSITION']);
      expect(await storedStatus(projectId)).to.equal(winners[0]?.data?.transitionProject?.status);
      const { count } = await adminOne<{ count: number }>('select count(*)::int from audit_events where target_id = $1', [projectId]);
      expect(count).to.equal(1);
    }
  });
});
