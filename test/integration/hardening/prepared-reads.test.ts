import { MikroORM } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import DataLoader from 'dataloader';
import { tesseraOrmConfig } from '../../../mikro-orm.config.js';
import { childPageLoader } from '../../../src/engine/graphql/batch-loaders.js';
import { User } from '../../../src/engine/identity/user.entity.js';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import { Project } from '../../../src/modules/projects/project.entity.js';
import { Task } from '../../../src/modules/tasks/task.entity.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject, createTask } from '../../support/projects.js';

/**
 * A hot read is planned by PostgreSQL once per connection, then only bound and executed: a read
 * sent with its values inlined is parsed and planned on every request, which cost Q1 as much of
 * PostgreSQL's CPU as running it. A pool of one connection of its own, so every read below shares
 * one backend and its prepared statements.
 */
describe('hot reads are prepared once per connection', () => {
  let tenant: TestTenant;
  let projectId: string;
  let taskId: string;
  let orm: MikroORM;

  before(async () => {
    tenant = await provisionTenant('prepared');
    projectId = await createProject(tenant.token);
    taskId = await createTask(tenant.token, projectId, { assigneeId: tenant.ownerId });
    orm = await MikroORM.init(tesseraOrmConfig({ clientUrl: testEnv().urls.appUrl, poolMax: 1 }));
  });
  after(() => orm.close(true));

  /** The project's first page of tasks with their assignees, read as the project-tasks field reads it. */
  function firstPage(): Promise<{ task: Task; assignee: unknown }[]> {
    return inTenantTransaction(orm.em, tenant.id, async (em) => {
      const assignees = new DataLoader<string, unknown>(async (ids) => ids.map(() => null));
      const pages = childPageLoader(em, Task, 'projectId', Project, { via: 'assigneeId', entity: User, loader: assignees });
      const page = await pages.load({ parentId: projectId, limit: 21 });
      return Promise.all(page.map(async (task) => ({ task, assignee: await assignees.load(task.assigneeId!) })));
    });
  }

  it('prepares a task page joined to its assignees (joins on column references), with no value in its text', async () => {
    const [first] = await firstPage();
    expect(first?.task.id).to.equal(taskId);
    expect(first?.assignee).to.include({ id: tenant.ownerId });
    expect((await firstPage()).map(({ task }) => task.id)).to.deep.equal([taskId]);

    const prepared = await inTenantTransaction(orm.em, tenant.id, (em) =>
      em.execute<{ statement: string }[]>(`select statement from pg_prepared_statements where statement like '%inner join lateral%'`),
    );
    expect(prepared).to.have.length(1);
    const [{ statement }] = prepared as [{ statement: string }];
    expect(statement).to.include('"j"."id" = "child"."assignee_id"');
    expect(statement).to.include('$1');
    expect(statement).not.to.include(tenant.id);
    expect(statement).not.to.include(projectId);
  });
});
