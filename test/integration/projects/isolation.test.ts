import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import {
  AddCommentDocument,
  AssignTaskDocument,
  CreateTaskDocument,
  DeleteProjectDocument,
  DeleteTaskDocument,
  ProjectDocument,
  ProjectsDocument,
  ProjectTreeDocument,
  TaskCommentsDocument,
  TaskDocument,
  TransitionProjectDocument,
  UpdateProjectDocument,
  UpdateTaskDocument,
} from '../../generated/graphql.js';
import { execute, expectError, ok } from '../../support/client.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { addComment, createProject, createTask } from '../../support/projects.js';
import { adminOne, adminQuery, sqlState } from '../../support/sql.js';

interface Holdings {
  projectId: string;
  taskId: string;
  commentId: string;
}

async function holdingsOf(tenant: TestTenant, assignee: TestMember): Promise<Holdings> {
  const projectId = await createProject(tenant.token, `Secret of ${tenant.slug}`);
  const taskId = await createTask(tenant.token, projectId, { title: `Secret task of ${tenant.slug}`, assigneeId: assignee.id });
  const commentId = await addComment(tenant.token, taskId, `Secret comment of ${tenant.slug}`);
  return { projectId, taskId, commentId };
}

/** Everything tenant A holds, as A reads it: must be identical before and after B's attacks. */
async function snapshot(tenant: TestTenant, { projectId, taskId }: Holdings): Promise<unknown> {
  const token = tenant.token;
  return {
    project: ok(await execute(ProjectDocument, { id: projectId }, { token })).project,
    task: ok(await execute(TaskDocument, { id: taskId }, { token })).task,
    comments: ok(await execute(TaskCommentsDocument, { id: taskId }, { token })).task,
  };
}

describe('isolation: projects, tasks and comments of another tenant', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let acmeMember: TestMember;
  let globexManager: TestMember;
  let a: Holdings;
  let b: Holdings;

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('iso-acme'), provisionTenant('iso-globex')]);
    [acmeMember, globexManager] = await Promise.all([addMember(acme, Role.MEMBER), addMember(globex, Role.MANAGER)]);
    [a, b] = await Promise.all([holdingsOf(acme, acmeMember), holdingsOf(globex, globexManager)]);
  });

  it("B's reads of A's ids answer null, exactly like a missing id", async () => {
    const token = globex.token;
    expect(ok(await execute(ProjectDocument, { id: a.projectId }, { token })).project).to.equal(null);
    expect(ok(await execute(TaskDocument, { id: a.taskId }, { token })).task).to.equal(null);
    expect(ok(await execute(TaskCommentsDocument, { id: a.taskId }, { token })).task).to.equal(null);
    expect(ok(await execute(TaskDocument, { id: a.commentId }, { token })).task).to.equal(null);
  });

  it("B's mutations on A's ids answer NOT_FOUND (like a missing id) and change nothing in A", async () => {
    const before = await snapshot(acme, a);
    const token = globex.token;
    const attacks = [
      execute(UpdateProjectDocument, { id: a.projectId, input: { name: 'pwned' } }, { token }),
      execute(TransitionProjectDocument, { id: a.projectId, to: 'ARCHIVED' }, { token }),
      execute(DeleteProjectDocument, { id: a.projectId }, { token }),
      execute(CreateTaskDocument, { input: { projectId: a.projectId, title: 'pwned' } }, { token }),
      execute(UpdateTaskDocument, { id: a.taskId, input: { title: 'pwned', status: 'DONE' } }, { token }),
      execute(AssignTaskDocument, { id: a.taskId, assigneeId: globex.ownerId }, { token }),
      execute(AssignTaskDocument, { id: a.taskId, assigneeId: null }, { token }),
      execute(DeleteTaskDocument, { id: a.taskId }, { token }),
      execute(AddCommentDocument, { input: { taskId: a.taskId, body: 'pwned' } }, { token }),
      execute(DeleteTaskDocument, { id: a.commentId }, { token }),
    ];
    const missing = '00000000-0000-4000-8000-000000000000';
    const controls = [
      execute(UpdateProjectDocument, { id: missing, input: { name: 'x' } }, { token }),
      execute(CreateTaskDocument, { input: { projectId: missing, title: 'x' } }, { token }),
      execute(AddCommentDocument, { input: { taskId: missing, body: 'x' } }, { token }),
    ];
    const responses = await Promise.all([...attacks, ...controls]);
    for (const response of responses) expect(expectError(response, 'NOT_FOUND').message).to.match(/^(Project|Task) not found$/);
    expect(await snapshot(acme, a)).to.deep.equal(before);
    const { count } = await adminOne<{ count: number }>(
      `select (select count(*) from tasks where tenant_id = $1) + (select count(*) from comments where tenant_id = $1)
         + (select count(*) from projects where tenant_id = $1 and name = 'pwned') as count`,
      [acme.id],
    );
    expect(Number(count)).to.equal(2);
  });

  it("B cannot give its own tasks to A's users: BAD_USER_INPUT on assigneeId, the same as for an unknown user", async () => {
    const token = globex.token;
    const unknownUser = '00000000-0000-4000-8000-00000000abcd';
    for (const assigneeId of [acmeMember.id, acme.ownerId, unknownUser]) {
      const created = await execute(CreateTaskDocument, { input: { projectId: b.projectId, title: 'x', assigneeId } }, { token });
      const assigned = await execute(AssignTaskDocument, { id: b.taskId, assigneeId }, { token });
      for (const response of [created, assigned]) {
        const error = expectError(response, 'BAD_USER_INPUT');
        expect(error.extensions?.fieldErrors).to.deep.equal([{ field: 'assigneeId', message: 'Not a member of this tenant' }]);
      }
    }
  });

  it("lists and nested relations never contain another tenant's projects, tasks or comments", async () => {
    const tree = ok(await execute(ProjectTreeDocument, { first: 10, tasksFirst: 10, commentsFirst: 10 }, { token: globex.token }));
    const projects = tree.projects!.edges.map((edge) => edge.node);
    expect(projects.map((project) => project.id)).to.deep.equal([b.projectId]);
    const tasks = projects.flatMap((project) => project.tasks.edges.map((edge) => edge.node));
    expect(tasks.map((task) => task.id)).to.deep.equal([b.taskId]);
    expect(tasks.flatMap((task) => task.comments.edges.map((edge) => edge.node.id))).to.deep.equal([b.commentId]);
    expect(JSON.stringify(tree)).not.to.contain(acme.slug);
    const named = ok(await execute(ProjectsDocument, { filter: { nameContains: 'Secret' } }, { token: globex.token }));
    expect(named.projects!.totalCount).to.equal(1);
  });

  it('a valid token of B with X-Tenant-ID (or X-Tenant-Slug) of A is refused with TENANT_MISMATCH', async () => {
    const token = globex.token;
    const headers = { 'x-tenant-id': acme.id };
    expectError(await execute(ProjectDocument, { id: a.projectId }, { token, headers }), 'TENANT_MISMATCH');
    expectError(await execute(DeleteProjectDocument, { id: a.projectId }, { token, headers }), 'TENANT_MISMATCH');
    const bySlug = await execute(ProjectsDocument, {}, { token, headers: { 'x-tenant-slug': acme.slug } });
    expectError(bySlug, 'TENANT_MISMATCH');
  });

  it("the database refuses a row of B that points at A's project, task or user, even past RLS", async () => {
    const states = await Promise.all(
      [
        [`insert into tasks (tenant_id, id, project_id, title) values ($1, gen_random_uuid(), $2, 'x')`, globex.id, a.projectId],
        [`insert into comments (tenant_id, id, task_id, body) values ($1, gen_random_uuid(), $2, 'x')`, globex.id, a.taskId],
        [`insert into project_members (tenant_id, project_id, user_id) values ($1, $2, $3)`, globex.id, b.projectId, acmeMember.id],
        ['update tasks set assignee_id = $2 where id = $1', b.taskId, acmeMember.id],
        ['update projects set owner_id = $2 where id = $1', b.projectId, acme.ownerId],
        ['update comments set author_id = $2 where id = $1', b.commentId, acme.ownerId],
      ].map(([sql, ...params]) => sqlState(adminQuery(String(sql), params))),
    );
    expect(states).to.deep.equal(Array(6).fill('23503'));
  });
});
