import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
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
  UpdateProjectDocument,
  UpdateTaskDocument,
} from '../../generated/graphql.js';
import { execute, expectError, ok, request } from '../../support/client.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { itemAt } from '../../support/lists.js';
import { addComment, createProject, createTask } from '../../support/projects.js';
import { adminOne, adminQuery } from '../../support/sql.js';

describe('projects, tasks and comments', () => {
  let acme: TestTenant;
  let manager: TestMember;
  let member: TestMember;

  before(async () => {
    acme = await provisionTenant('pm');
    [manager, member] = await Promise.all([addMember(acme, Role.MANAGER), addMember(acme, Role.MEMBER)]);
  });

  it('creates a DRAFT project owned by the caller, who becomes its first member', async () => {
    const created = ok(
      await execute(CreateProjectDocument, { input: { name: '  Launch  ', description: ' Go live ' } }, { token: member.token }),
    ).createProject!;
    expect(created).to.include({ name: 'Launch', description: 'Go live', status: 'DRAFT' });
    expect(created.owner?.id).to.equal(member.id);
    const project = ok(await execute(ProjectDocument, { id: created.id }, { token: member.token })).project!;
    expect(project.members.map((user) => user.id)).to.deep.equal([member.id]);
    expect(project.taskCount).to.equal(0);
    expect(project.allowedTransitions).to.deep.equal(['SUBMITTED']);
    const [row] = await adminQuery('select tenant_id, owner_id from projects where id = $1', [created.id]);
    expect(row).to.deep.equal({ tenant_id: acme.id, owner_id: member.id });
  });

  it('lets the project owner or a manager edit it, not another member', async () => {
    const projectId = await createProject(member.token, 'Mine');
    const renamed = ok(await execute(UpdateProjectDocument, { id: projectId, input: { name: 'Ours' } }, { token: member.token }));
    expect(renamed.updateProject).to.include({ name: 'Ours' });
    const cleared = ok(await execute(UpdateProjectDocument, { id: projectId, input: { description: null } }, { token: manager.token }));
    expect(cleared.updateProject).to.include({ name: 'Ours', description: null });
    const other = await addMember(acme, Role.MEMBER);
    expectError(await execute(UpdateProjectDocument, { id: projectId, input: { name: 'Theirs' } }, { token: other.token }), 'FORBIDDEN');
  });

  it('creates, edits, assigns and deletes tasks; an assignee joins the project', async () => {
    const projectId = await createProject(member.token);
    const task = ok(
      await execute(
        CreateTaskDocument,
        { input: { projectId, title: 'Write docs', assigneeId: member.id, dueDate: '2026-12-24' } },
        { token: member.token },
      ),
    ).createTask!;
    expect(task).to.deep.include({ title: 'Write docs', status: 'TODO', dueDate: '2026-12-24', project: { id: projectId } });
    expect(task.assignee?.id).to.equal(member.id);

    const updated = ok(
      await execute(UpdateTaskDocument, { id: task.id, input: { status: 'IN_PROGRESS', dueDate: null } }, { token: member.token }),
    ).updateTask!;
    expect(updated).to.include({ title: 'Write docs', status: 'IN_PROGRESS', dueDate: null });

    const reassigned = ok(await execute(AssignTaskDocument, { id: task.id, assigneeId: manager.id }, { token: manager.token }));
    expect(reassigned.assignTask?.assignee?.id).to.equal(manager.id);
    const project = ok(await execute(ProjectDocument, { id: projectId }, { token: member.token })).project!;
    expect(project.members.map((user) => user.id)).to.have.members([member.id, manager.id]);
    expect(project.taskCount).to.equal(1);

    const unassigned = ok(await execute(AssignTaskDocument, { id: task.id, assigneeId: null }, { token: manager.token }));
    expect(unassigned.assignTask?.assignee).to.equal(null);

    expect(ok(await execute(DeleteTaskDocument, { id: task.id }, { token: manager.token })).deleteTask).to.equal(task.id);
    expect(ok(await execute(TaskDocument, { id: task.id }, { token: member.token })).task).to.equal(null);
    expectError(await execute(DeleteTaskDocument, { id: task.id }, { token: manager.token }), 'NOT_FOUND');
  });

  it("creates no task in a missing project or one of another tenant (NOT_FOUND), and reads a new task's project only when more than its id is asked", async () => {
    const globex = await provisionTenant('pm-other');
    const foreignProject = await createProject(globex.token);
    const missingProject = '00000000-0000-4000-8000-000000000001';
    for (const projectId of [foreignProject, missingProject]) {
      const refused = await execute(
        CreateTaskDocument,
        { input: { projectId, title: 'Stray', assigneeId: member.id } },
        { token: manager.token },
      );
      expect(refused.errors?.map((error) => [error.message, error.extensions?.code])).to.deep.equal([['Project not found', 'NOT_FOUND']]);
    }
    expect(await adminOne('select count(*)::int as n from tasks where title = $1', ['Stray'])).to.deep.equal({ n: 0 });

    const projectId = await createProject(member.token, 'Named project');
    const created = await request<{ createTask: { project: { id: string; name: string } } }>(
      'mutation ($projectId: ID!) { createTask(input: { projectId: $projectId, title: "With project" }) { project { id name } } }',
      { projectId },
      { token: member.token },
    );
    expect(created.data?.createTask.project).to.deep.equal({ id: projectId, name: 'Named project' });
  });

  it('a member may assign a new task to themselves, not to someone else', async () => {
    const projectId = await createProject(member.token);
    const response = await execute(
      CreateTaskDocument,
      { input: { projectId, title: 'Delegated', assigneeId: manager.id } },
      { token: member.token },
    );
    expectError(response, 'FORBIDDEN');
  });

  it('comments on a task as the caller', async () => {
    const projectId = await createProject(member.token);
    const taskId = await createTask(member.token, projectId);
    const comment = ok(
      await execute(AddCommentDocument, { input: { taskId, body: ' Looks good ' } }, { token: manager.token }),
    ).addComment!;
    expect(comment).to.deep.include({ body: 'Looks good', author: { id: manager.id }, task: { id: taskId } });
    const task = ok(await execute(TaskDocument, { id: taskId }, { token: member.token })).task!;
    expect(task.commentCount).to.equal(1);
  });

  it('deleting a project deletes its tasks, comments and members, and is audited', async () => {
    const projectId = await createProject(member.token);
    const taskId = await createTask(member.token, projectId);
    await addComment(member.token, taskId);
    expect(ok(await execute(DeleteProjectDocument, { id: projectId }, { token: acme.token })).deleteProject).to.equal(projectId);
    expect(ok(await execute(ProjectDocument, { id: projectId }, { token: acme.token })).project).to.equal(null);
    for (const table of ['tasks', 'comments', 'project_members']) {
      const { count } = await adminOne<{ count: number }>(
        `select count(*)::int from ${table} where tenant_id = $1 and ${table === 'comments' ? 'task_id' : 'project_id'} = $2`,
        [acme.id, table === 'comments' ? taskId : projectId],
      );
      expect(count, table).to.equal(0);
    }
    const audit = await adminQuery('select action, actor_user_id from audit_events where target_id = $1', [projectId]);
    expect(audit).to.deep.equal([{ action: 'project.delete', actor_user_id: acme.ownerId }]);
  });

  it('removing a member from the tenant unassigns their tasks and keeps their projects and comments', async () => {
    const leaver = await addMember(acme, Role.MEMBER);
    const projectId = await createProject(leaver.token);
    const taskId = await createTask(leaver.token, projectId, { assigneeId: leaver.id });
    await addComment(leaver.token, taskId);
    await adminQuery('delete from memberships where tenant_id = $1 and user_id = $2', [acme.id, leaver.id]);
    const project = ok(await execute(ProjectDocument, { id: projectId }, { token: acme.token })).project!;
    expect(project.owner).to.equal(null);
    expect(project.members).to.deep.equal([]);
    const task = ok(await execute(TaskDocument, { id: taskId }, { token: acme.token })).task!;
    expect(task).to.deep.include({ assignee: null, commentCount: 1 });
  });

  it('lists projects newest first, filtered by status and by a part of the name (wildcards are literal)', async () => {
    const tenant = await provisionTenant('pmlist');
    const ids = [];
    for (const name of ['Alpha 100%', 'beta_1', 'Gamma', 'alphabet', 'C:\\tmp']) ids.push(await createProject(tenant.token, name));
    const all = ok(await execute(ProjectsDocument, {}, { token: tenant.token })).projects!;
    expect(all.edges.map((edge) => edge.node.id)).to.deep.equal([...ids].reverse());
    const named = async (nameContains: string) =>
      ok(await execute(ProjectsDocument, { filter: { nameContains } }, { token: tenant.token })).projects!.edges.map(
        (edge) => edge.node.name,
      );
    expect(await named('ALPHA')).to.deep.equal(['alphabet', 'Alpha 100%']);
    expect(await named('%')).to.deep.equal(['Alpha 100%']);
    expect(await named('a_1')).to.deep.equal(['beta_1']);
    expect(await named('\\')).to.deep.equal(['C:\\tmp']);
    await adminQuery(`update projects set status = 'ACTIVE' where id = $1`, [ids[2]]);
    const active = ok(await execute(ProjectsDocument, { filter: { status: 'ACTIVE' } }, { token: tenant.token })).projects!;
    expect(active.totalCount).to.equal(1);
    expect(itemAt(active.edges, 0).node).to.include({ id: ids[2], status: 'ACTIVE' });
  });
});
