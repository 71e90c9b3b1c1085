import { expect } from 'chai';
import { print } from 'graphql';
import { Role } from '../../src/engine/identity/roles.js';
import { ProjectTreeDocument, type ProjectTreeQuery } from '../generated/graphql.js';
import { testEnv } from '../setup/environment.js';
import { addMember, provisionTenant, type TestTenant } from '../support/fixtures.js';
import { adminOne, adminQuery } from '../support/sql.js';

interface Shape {
  projects: number;
  tasks: number;
  comments: number;
}

/**
 * Fills a tenant below the API: project i is created i seconds after a fixed instant, its task j
 * j ms after the project, a task's comment k k ms after the task, so "newest first" is known.
 */
async function seedTree(tenant: TestTenant, authorId: string, shape: Shape): Promise<void> {
  await adminQuery(
    `insert into projects (tenant_id, id, name, status, owner_id, created_at)
     select $1, gen_random_uuid(), 'P' || i, 'ACTIVE', $2, '2026-01-01T00:00:00Z'::timestamptz + i * interval '1 second'
     from generate_series(1, $3::int) i`,
    [tenant.id, tenant.ownerId, shape.projects],
  );
  await adminQuery(
    `insert into tasks (tenant_id, id, project_id, title, assignee_id, created_at)
     select p.tenant_id, gen_random_uuid(), p.id, p.name || '-T' || j, $2, p.created_at + j * interval '1 millisecond'
     from projects p, generate_series(1, $3::int) j where p.tenant_id = $1`,
    [tenant.id, tenant.ownerId, shape.tasks],
  );
  await adminQuery(
    `insert into comments (tenant_id, id, task_id, author_id, body, created_at)
     select t.tenant_id, gen_random_uuid(), t.id, $2, t.title || '-C' || k, t.created_at + k * interval '1 millisecond'
     from tasks t, generate_series(1, $3::int) k where t.tenant_id = $1`,
    [tenant.id, authorId, shape.comments],
  );
}

/** Runs the tree query over HTTP and returns its data and the x-sql-statements header. */
async function fetchTree(token: string): Promise<{ data: ProjectTreeQuery; statements: number }> {
  const response = await fetch(testEnv().server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(ProjectTreeDocument), variables: { first: 20, tasksFirst: 20, commentsFirst: 5 } }),
  });
  const body = (await response.json()) as { data: ProjectTreeQuery; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
  return { data: body.data, statements: Number(response.headers.get('x-sql-statements')) };
}

/** Names from n down to 1: the newest-first order of seedTree. */
const countdown = (n: number, name: (i: number) => string) => Array.from({ length: n }, (_, i) => name(n - i));

function expectTree(data: ProjectTreeQuery, shape: Shape, shown: Shape): void {
  const projects = data.projects!;
  expect(projects.totalCount).to.equal(shape.projects);
  expect(projects.edges.map((edge) => edge.node.name)).to.deep.equal(countdown(shown.projects, (i) => `P${i}`));
  for (const { node: project } of projects.edges) {
    expect(project.tasks.totalCount).to.equal(shape.tasks);
    expect(project.tasks.edges.map((edge) => edge.node.title)).to.deep.equal(countdown(shown.tasks, (j) => `${project.name}-T${j}`));
    for (const { node: task } of project.tasks.edges) {
      expect(task.assignee?.name).to.equal('Owner');
      expect(task.comments.totalCount).to.equal(shape.comments);
      expect(task.comments.edges.map((edge) => edge.node.body)).to.deep.equal(countdown(shown.comments, (k) => `${task.title}-C${k}`));
      expect(task.comments.edges.every((edge) => edge.node.author?.name === Role.MANAGER)).to.equal(true);
    }
  }
}

describe('no N+1: projects → tasks → assignee, comments → author', () => {
  const small: Shape = { projects: 2, tasks: 2, comments: 1 };
  const large: Shape = { projects: 20, tasks: 20, comments: 5 };
  let smallTenant: TestTenant;
  let largeTenant: TestTenant;

  before(async () => {
    [smallTenant, largeTenant] = await Promise.all([provisionTenant('nplus-s'), provisionTenant('nplus-l')]);
    const [smallAuthor, largeAuthor] = await Promise.all([addMember(smallTenant, Role.MANAGER), addMember(largeTenant, Role.MANAGER)]);
    await seedTree(smallTenant, smallAuthor.id, small);
    await seedTree(largeTenant, largeAuthor.id, large);
  });

  it('returns the right tree, newest first, for 2×2×1 and for 20×20×5', async () => {
    expectTree((await fetchTree(smallTenant.token)).data, small, small);
    expectTree((await fetchTree(largeTenant.token)).data, large, large);
  });

  it('takes the same number of SQL statements for 2×2×1 as for 20×20×5 (400 tasks, 2000 comments)', async () => {
    const smallRun = await fetchTree(smallTenant.token);
    const largeRun = await fetchTree(largeTenant.token);
    console.log(`      SQL statements: ${smallRun.statements} (2×2×1) and ${largeRun.statements} (20×20×5)`);
    // set_config; projects and their count; the task pages with their assignees, and their count;
    // the comment pages with their authors, and their count: one statement per list level.
    expect(smallRun.statements).to.equal(7);
    expect(largeRun.statements).to.equal(smallRun.statements);
  });

  it('sends no count query for lists whose totalCount the client did not ask for', async () => {
    const statements = async (query: string) => {
      const response = await fetch(testEnv().server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${largeTenant.token}` },
        body: JSON.stringify({ query }),
      });
      return Number(response.headers.get('x-sql-statements'));
    };
    const withCounts = await statements(
      '{ projects(first: 5) { totalCount edges { node { tasks(first: 3) { totalCount edges { node { id } } } } } } }',
    );
    const without = await statements('{ projects(first: 5) { edges { node { tasks(first: 3) { edges { node { id } } } } } } }');
    expect(withCounts - without).to.equal(2);
  });
});

/**
 * The benchmarked operations (bench/operations.ts, the anchor's Q1–Q3) take a fixed, small number
 * of statements. `x-sql-statements` counts every statement the ORM sends, the tenant session's
 * `set_config` included; BEGIN and COMMIT come on top (BEGIN travels in the set_config's message).
 */
describe('statements per request of the benchmarked operations', () => {
  let tenant: TestTenant;
  let member: { id: string };
  let projectId: string;

  before(async () => {
    tenant = await provisionTenant('stmts');
    member = await addMember(tenant, Role.MEMBER);
    await seedTree(tenant, member.id, { projects: 3, tasks: 25, comments: 0 });
    // Assigned to someone other than the caller, whom the request already holds.
    await adminQuery('update tasks set assignee_id = $2 where tenant_id = $1', [tenant.id, member.id]);
    ({ id: projectId } = await adminOne<{ id: string }>('select id from projects where tenant_id = $1 limit 1', [tenant.id]));
  });

  async function statementsOf(query: string, variables: Record<string, unknown> = {}): Promise<number> {
    const response = await fetch(testEnv().server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    return Number(response.headers.get('x-sql-statements'));
  }

  it('Q1, Q2 and Q3 stay within their statement budgets (a warm process)', async () => {
    const q1 = `query Q1($id: ID!) { project(id: $id) { id name status createdAt
      tasks(first: 20) { edges { node { id title status createdAt assignee { name } } } } } }`;
    const q2 = '{ projects(first: 20) { edges { node { id name status createdAt taskCount } } } }';
    const q3 = `mutation Q3($input: CreateTaskInput!) { createTask(input: $input) { id title status project { id } } }`;
    await statementsOf(q1, { id: projectId }); // warms the per-process caches (tenant, membership)
    const counts = {
      q1: await statementsOf(q1, { id: projectId }),
      q2: await statementsOf(q2),
      q3: await statementsOf(q3, { input: { projectId, title: 'budget', assigneeId: member.id } }),
      q3again: await statementsOf(q3, { input: { projectId, title: 'budget 2', assigneeId: member.id } }),
    };
    console.log(`      statements besides BEGIN/COMMIT: ${JSON.stringify(counts)}`);
    // Q1: set_config, project, tasks page with their assignees. Q2: set_config, projects with their task counts. Q3:
    // set_config, INSERT task (the foreign keys check project and membership, the assignee joins
    // the project by trigger; `project { id }` is not read), notification job (sent with the
    // COMMIT). The caller's membership comes from the cache.
    expect(counts).to.deep.equal({ q1: 3, q2: 2, q3: 3, q3again: 3 });
  });

  it("reads a list's task counts in the list statement however the client selects them (fragments, aliases)", async () => {
    const viaFragments = `{ projects(first: 20) { edges { ...Edge } } }
      fragment Edge on ProjectEdge { node { ... on Project { id tasksHeld: taskCount } } }`;
    expect(await statementsOf(viaFragments)).to.equal(2);
    const response = await fetch(testEnv().server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}` },
      body: JSON.stringify({ query: viaFragments }),
    });
    const body = (await response.json()) as { data: { projects: { edges: { node: { id: string; tasksHeld: number } }[] } } };
    const counted = await adminQuery<{ id: string; count: number }>(
      'select p.id, count(t.id)::int as count from projects p left join tasks t on t.tenant_id = p.tenant_id and t.project_id = p.id where p.tenant_id = $1 group by p.id',
      [tenant.id],
    );
    expect(Object.fromEntries(body.data.projects.edges.map(({ node }) => [node.id, node.tasksHeld]))).to.deep.equal(
      Object.fromEntries(counted.map((row) => [row.id, row.count])),
    );
  });
});
