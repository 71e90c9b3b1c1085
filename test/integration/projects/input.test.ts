import { expect } from 'chai';
import {
  AddCommentDocument,
  AssignTaskDocument,
  CreateProjectDocument,
  CreateTaskDocument,
  DeleteProjectDocument,
  ProjectDocument,
  ProjectsDocument,
  ProjectTasksDocument,
  TaskCommentsDocument,
  TaskDocument,
  TransitionProjectDocument,
  UpdateProjectDocument,
  UpdateTaskDocument,
} from '../../generated/graphql.js';
import { execute, expectError, request, type GraphQLResponse } from '../../support/client.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject, createTask } from '../../support/projects.js';
import { adminQuery } from '../../support/sql.js';

/** BAD_USER_INPUT naming `field` among its field errors; never a 500. */
function expectFieldError(response: GraphQLResponse<unknown>, field: string): void {
  const error = expectError(response, 'BAD_USER_INPUT');
  const fields = (error.extensions?.fieldErrors as { field: string }[] | undefined)?.map((fieldError) => fieldError.field);
  expect(fields, JSON.stringify(error)).to.include(field);
}

describe('bad input to projects, tasks and comments: BAD_USER_INPUT, never a 500', () => {
  let tenant: TestTenant;
  let projectId: string;
  let taskId: string;
  const long = (length: number) => 'x'.repeat(length);

  before(async () => {
    tenant = await provisionTenant('input');
    projectId = await createProject(tenant.token);
    taskId = await createTask(tenant.token, projectId);
  });

  it('refuses empty, blank and too long names, titles, descriptions and bodies', async () => {
    const token = tenant.token;
    const cases: [Promise<GraphQLResponse<unknown>>, string][] = [
      [execute(CreateProjectDocument, { input: { name: '' } }, { token }), 'name'],
      [execute(CreateProjectDocument, { input: { name: '   ' } }, { token }), 'name'],
      [execute(CreateProjectDocument, { input: { name: long(201) } }, { token }), 'name'],
      [execute(CreateProjectDocument, { input: { name: 'ok', description: long(5001) } }, { token }), 'description'],
      [execute(UpdateProjectDocument, { id: projectId, input: { name: null } }, { token }), 'name'],
      [execute(UpdateProjectDocument, { id: projectId, input: { name: '\t' } }, { token }), 'name'],
      [execute(CreateTaskDocument, { input: { projectId, title: '' } }, { token }), 'title'],
      [execute(CreateTaskDocument, { input: { projectId, title: long(201) } }, { token }), 'title'],
      [execute(UpdateTaskDocument, { id: taskId, input: { title: null } }, { token }), 'title'],
      [execute(UpdateTaskDocument, { id: taskId, input: { status: null } }, { token }), 'status'],
      [execute(AddCommentDocument, { input: { taskId, body: ' ' } }, { token }), 'body'],
      [execute(AddCommentDocument, { input: { taskId, body: long(10_001) } }, { token }), 'body'],
      [execute(ProjectsDocument, { filter: { nameContains: long(201) } }, { token }), 'filter.nameContains'],
      [execute(CreateTaskDocument, { input: { projectId, title: 'x', dueDate: '0000-01-01' } }, { token }), 'dueDate'],
      [execute(UpdateTaskDocument, { id: taskId, input: { dueDate: '0000-12-31' } }, { token }), 'dueDate'],
    ];
    for (const [response, field] of cases) expectFieldError(await response, field);
  });

  it('refuses text the database cannot store (a NUL character) without a 500', async () => {
    const token = tenant.token;
    const responses = await Promise.all([
      execute(CreateProjectDocument, { input: { name: 'nul\u0000byte' } }, { token }),
      execute(AddCommentDocument, { input: { taskId, body: 'nul\u0000byte' } }, { token }),
      execute(ProjectsDocument, { filter: { nameContains: '\u0000' } }, { token }),
    ]);
    for (const response of responses) expectError(response, 'BAD_USER_INPUT');
  });

  it('refuses malformed ids, in arguments and in inputs', async () => {
    const token = tenant.token;
    const cases: [Promise<GraphQLResponse<unknown>>, string][] = [
      [execute(ProjectDocument, { id: 'not-a-uuid' }, { token }), 'id'],
      [execute(TaskDocument, { id: "1' or '1'='1" }, { token }), 'id'],
      [execute(UpdateProjectDocument, { id: '42', input: { name: 'x' } }, { token }), 'id'],
      [execute(TransitionProjectDocument, { id: 'x', to: 'SUBMITTED' }, { token }), 'id'],
      [execute(DeleteProjectDocument, { id: '' }, { token }), 'id'],
      [execute(UpdateTaskDocument, { id: 'x', input: { title: 'x' } }, { token }), 'id'],
      [execute(AssignTaskDocument, { id: taskId, assigneeId: 'nobody' }, { token }), 'assigneeId'],
      [execute(CreateTaskDocument, { input: { projectId: 'x', title: 'x' } }, { token }), 'projectId'],
      [execute(CreateTaskDocument, { input: { projectId, title: 'x', assigneeId: 'x' } }, { token }), 'assigneeId'],
      [execute(AddCommentDocument, { input: { taskId: 'x', body: 'x' } }, { token }), 'taskId'],
    ];
    for (const [response, field] of cases) expectFieldError(await response, field);
  });

  it('refuses malformed cursors and page sizes, at the root and nested', async () => {
    const token = tenant.token;
    const forged = Buffer.from('yesterday|not-a-uuid').toString('base64url');
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    const cursors = [
      'garbage',
      forged,
      cursor(`2026-01-01T00:00:00.000Z|${projectId}|x`),
      cursor(`+099999-01-01T00:00:00.000Z|${projectId}`),
      cursor(`-000001-01-01T00:00:00.000Z|${projectId}`),
    ];
    for (const after of cursors) {
      expectFieldError(await execute(ProjectsDocument, { after }, { token }), 'after');
      expectFieldError(await execute(ProjectTasksDocument, { id: projectId, after }, { token }), 'after');
      expectFieldError(await execute(TaskCommentsDocument, { id: taskId, after }, { token }), 'after');
    }
    for (const first of [-1, 101]) {
      expectFieldError(await execute(ProjectsDocument, { first }, { token }), 'first');
      expectFieldError(await execute(ProjectTasksDocument, { id: projectId, first }, { token }), 'first');
    }
  });

  it('refuses unknown enum values and impossible dates before any resolver runs', async () => {
    const token = tenant.token;
    const cases = [
      request('mutation($id: ID!) { transitionProject(id: $id, to: LAUNCHED) { id } }', { id: projectId }, { token }),
      request('mutation($id: ID!) { updateTask(id: $id, input: { status: "DONE" }) { id } }', { id: taskId }, { token }),
      execute(CreateTaskDocument, { input: { projectId, title: 'x', dueDate: '2026-02-30' } }, { token }),
      execute(UpdateTaskDocument, { id: taskId, input: { dueDate: 'tomorrow' } }, { token }),
    ];
    for (const response of await Promise.all(cases)) {
      expectError(response, 'BAD_USER_INPUT');
      expect(response.status).to.be.below(500);
    }
  });
});

describe('ids that are UUIDs of any version', () => {
  it('accepts imported ids that are not RFC 4122 shaped (e.g. md5-derived) like any other id', async () => {
    const tenant = await provisionTenant('md5');
    await adminQuery(
      `insert into projects (tenant_id, id, name, status) values ($1, 'd41d8cd9-8f00-b204-e980-0998ecf8427e', 'Imported', 'DRAFT')`,
      [tenant.id],
    );
    const taskId = await createTask(tenant.token, 'd41d8cd9-8f00-b204-e980-0998ecf8427e', { title: 'On an imported project' });
    expect(taskId).to.match(/^[0-9a-f-]{36}$/);
    const unknown = await execute(
      CreateTaskDocument,
      { input: { projectId: 'a0b1c2d3-e4f5-a6b7-c8d9-e0f1a2b3c4d5', title: 'x' } },
      { token: tenant.token },
    );
    expectError(unknown, 'NOT_FOUND');
  });
});
