import { expect } from 'chai';
import { Role, roleAtLeast } from '../../../src/engine/identity/roles.js';
import {
  AddCommentDocument,
  AssignTaskDocument,
  CreateProjectDocument,
  CreateTaskDocument,
  DeleteProjectDocument,
  DeleteTaskDocument,
  ProjectDocument,
  ProjectsDocument,
  TaskDocument,
  TransitionProjectDocument,
  UpdateProjectDocument,
  UpdateTaskDocument,
} from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { codes, execute, expectError, ok, type GraphQLResponse } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject, createTask } from '../../support/projects.js';
import { adminOne, adminQuery } from '../../support/sql.js';

interface Caller {
  label: string;
  role: Role | null;
  token?: string;
  userId?: string;
}

interface Operation {
  name: string;
  minimumRole: Role;
  /** Prepares what the operation needs (as the tenant owner) and runs it as `caller`. */
  run(caller: Caller): Promise<GraphQLResponse<unknown>>;
}

describe('authorization: every role × every project, task and comment operation', () => {
  let tenant: TestTenant;
  const callers: Caller[] = [];
  const ownerToken = () => tenant.token;

  before(async () => {
    tenant = await provisionTenant('authz');
    callers.push({ label: 'OWNER', role: Role.OWNER, token: tenant.token, userId: tenant.ownerId });
    for (const role of [Role.MANAGER, Role.MEMBER, Role.VIEWER]) {
      const member = await addMember(tenant, role);
      callers.push({ label: role, role, token: member.token, userId: member.id });
    }
    const outsider = await provisionTenant('authz-out');
    const foreignToken = testEnv().services.tokens.sign({ sub: outsider.ownerId, tid: tenant.id });
    callers.push({ label: 'signed-in non-member', role: null, token: foreignToken });
    callers.push({ label: 'anonymous', role: null, token: undefined });
  });

  const newTask = async () => createTask(ownerToken(), await createProject(ownerToken()));
  const operations: Operation[] = [
    { name: 'projects', minimumRole: Role.VIEWER, run: ({ token }) => execute(ProjectsDocument, {}, { token }) },
    {
      name: 'project',
      minimumRole: Role.VIEWER,
      run: async ({ token }) => execute(ProjectDocument, { id: await createProject(ownerToken()) }, { token }),
    },
    { name: 'task', minimumRole: Role.VIEWER, run: async ({ token }) => execute(TaskDocument, { id: await newTask() }, { token }) },
    {
      name: 'createProject',
      minimumRole: Role.MEMBER,
      run: ({ token }) => execute(CreateProjectDocument, { input: { name: 'New' } }, { token }),
    },
    {
      name: 'updateProject (of a project the caller created when they could)',
      minimumRole: Role.MEMBER,
      run: async ({ token, role }) => {
        const id = await createProject(roleAtLeast(role, Role.MEMBER) ? token! : ownerToken());
        return execute(UpdateProjectDocument, { id, input: { name: 'Renamed' } }, { token });
      },
    },
    {
      name: 'transitionProject (DRAFT → SUBMITTED)',
      minimumRole: Role.MEMBER,
      run: async ({ token }) => execute(TransitionProjectDocument, { id: await createProject(ownerToken()), to: 'SUBMITTED' }, { token }),
    },
    {
      name: 'deleteProject',
      minimumRole: Role.OWNER,
      run: async ({ token }) => execute(DeleteProjectDocument, { id: await createProject(ownerToken()) }, { token }),
    },
    {
      name: 'createTask',
      minimumRole: Role.MEMBER,
      run: async ({ token }) =>
        execute(CreateTaskDocument, { input: { projectId: await createProject(ownerToken()), title: 'T' } }, { token }),
    },
    {
      name: 'updateTask',
      minimumRole: Role.MEMBER,
      run: async ({ token }) => execute(UpdateTaskDocument, { id: await newTask(), input: { status: 'DONE' } }, { token }),
    },
    {
      name: 'assignTask',
      minimumRole: Role.MANAGER,
      run: async ({ token }) => execute(AssignTaskDocument, { id: await newTask(), assigneeId: tenant.ownerId }, { token }),
    },
    {
      name: 'deleteTask',
      minimumRole: Role.MANAGER,
      run: async ({ token }) => execute(DeleteTaskDocument, { id: await newTask() }, { token }),
    },
    {
      name: 'addComment',
      minimumRole: Role.MEMBER,
      run: async ({ token }) => execute(AddCommentDocument, { input: { taskId: await newTask(), body: 'Hi' } }, { token }),
    },
  ];

  for (const operation of operations) {
    const who = operation.minimumRole === Role.OWNER ? 'OWNER only' : `${operation.minimumRole} and above only`;
    it(`${operation.name}: ${who}`, async () => {
      for (const caller of callers) {
        const response = await operation.run(caller);
        const expected = !caller.token ? ['UNAUTHENTICATED'] : roleAtLeast(caller.role, operation.minimumRole) ? [] : ['FORBIDDEN'];
        expect(codes(response), `${caller.label}: ${JSON.stringify(response.errors)}`).to.deep.equal(expected);
        if (expected.length === 0) expect(Object.values(response.data as object)[0], caller.label).not.to.equal(null);
      }
    });
  }

  it('a SUSPENDED tenant can still read, but every mutation answers TENANT_SUSPENDED', async () => {
    const suspended = await provisionTenant('authz-susp');
    const projectId = await createProject(suspended.token);
    const taskId = await createTask(suspended.token, projectId);
    await adminQuery(`update tenants set status = 'SUSPENDED' where id = $1`, [suspended.id]);
    testEnv().services.tenants.clear();
    const token = suspended.token;
    expect(ok(await execute(ProjectDocument, { id: projectId }, { token })).project?.id).to.equal(projectId);
    const writes = [
      execute(CreateProjectDocument, { input: { name: 'No' } }, { token }),
      execute(UpdateProjectDocument, { id: projectId, input: { name: 'No' } }, { token }),
      execute(TransitionProjectDocument, { id: projectId, to: 'SUBMITTED' }, { token }),
      execute(DeleteProjectDocument, { id: projectId }, { token }),
      execute(CreateTaskDocument, { input: { projectId, title: 'No' } }, { token }),
      execute(UpdateTaskDocument, { id: taskId, input: { title: 'No' } }, { token }),
      execute(AssignTaskDocument, { id: taskId, assigneeId: null }, { token }),
      execute(DeleteTaskDocument, { id: taskId }, { token }),
      execute(AddCommentDocument, { input: { taskId, body: 'No' } }, { token }),
    ];
    for (const response of await Promise.all(writes)) expectError(response, 'TENANT_SUSPENDED');
    const { count } = await adminOne<{ count: number }>('select count(*)::int from projects where tenant_id = $1', [suspended.id]);
    expect(count).to.equal(1);
  });
});
