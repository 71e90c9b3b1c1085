import { expect } from 'chai';
import { testEnv } from '../../setup/environment.js';
import { expectError, ok, request } from '../../support/client.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject, createTask } from '../../support/projects.js';

const TASK_PAGES = `
  query TaskPages($id: ID!, $first: Int, $after: String) {
    project(id: $id) {
      id
      newest: tasks(first: 1) { edges { node { id } } }
      ...Pages
    }
  }
  fragment Pages on Project {
    asked: tasks(first: $first, after: $after) { edges { node { id title } } }
  }`;

interface TaskPages {
  project: { id: string; newest: { edges: { node: { id: string } }[] }; asked: { edges: { node: { id: string } }[] } } | null;
}

/** The operation's answer and how many SQL statements it took (`x-sql-statements`, outside production). */
async function withStatements(
  token: string,
  variables: Record<string, unknown>,
): Promise<{ body: { data?: TaskPages }; statements: number }> {
  const response = await fetch(new URL('/graphql', testEnv().server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: TASK_PAGES, variables }),
  });
  return { body: (await response.json()) as { data?: TaskPages }, statements: Number(response.headers.get('x-sql-statements')) };
}

/**
 * `project(id)` starts the page of tasks its client selects with its own read (the tasks module's
 * prefetch), instead of one round trip after it: the same answers, the same refusals.
 */
describe('a project read by id brings its selected pages of tasks along', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  let acmeProject: string;
  let globexProject: string;
  const acmeTasks: string[] = [];

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('prefetch-a'), provisionTenant('prefetch-b')]);
    acmeProject = await createProject(acme.token);
    for (let index = 0; index < 3; index++) acmeTasks.unshift(await createTask(acme.token, acmeProject));
    globexProject = await createProject(globex.token);
    await createTask(globex.token, globexProject);
  });

  it('answers each aliased page with its own arguments, through fragments and variables', async () => {
    const { project } = ok(await request<TaskPages>(TASK_PAGES, { id: acmeProject, first: 2 }, { token: acme.token }));
    expect(project?.newest.edges.map((edge) => edge.node.id)).to.deep.equal(acmeTasks.slice(0, 1));
    expect(project?.asked.edges.map((edge) => edge.node.id)).to.deep.equal(acmeTasks.slice(0, 2));
  });

  it("reads the page with the project, not after it: another tenant's project is null, its tasks read through the tenant's filter and never answered", async () => {
    const own = await withStatements(acme.token, { id: acmeProject, first: 2 });
    const guessed = await withStatements(acme.token, { id: globexProject, first: 2 });
    expect(guessed.body).to.deep.equal({ data: { project: null } });
    // The same statements, one page each: the guessed project's were sent before its read came back empty.
    expect(guessed.statements).to.equal(own.statements);
  });

  it('refuses what the page refuses, as the client’s error: a malformed id, a page too large, a bad cursor', async () => {
    expectError(await request(TASK_PAGES, { id: 'not-a-uuid' }, { token: acme.token }), 'BAD_USER_INPUT');
    expectError(await request(TASK_PAGES, { id: acmeProject, first: 101 }, { token: acme.token }), 'BAD_USER_INPUT');
    expectError(await request(TASK_PAGES, { id: acmeProject, after: 'garbage' }, { token: acme.token }), 'BAD_USER_INPUT');
    const { project } = ok(await request<TaskPages>(TASK_PAGES, { id: acmeProject, first: 3 }, { token: acme.token }));
    expect(project?.asked.edges).to.have.length(3);
  });
});
