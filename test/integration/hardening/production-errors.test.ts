import { expect } from 'chai';
import { startProductionServer, type ExtraServer } from '../../support/extra-server.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject } from '../../support/projects.js';

/**
 * Operations run on graphql-jit (engine/graphql/jit-executor.ts). In production, Apollo's plugins
 * rewrite error messages in place (graphql-armor masks field suggestions): typed errors and
 * variables that do not coerce must still answer with their codes, never INTERNAL_SERVER_ERROR.
 */
describe('production gateway: error codes through the compiled executor', () => {
  let production: ExtraServer;
  let acme: TestTenant;
  let globexProject: string;

  before(async () => {
    production = await startProductionServer();
    let globex: TestTenant;
    [acme, globex] = await Promise.all([provisionTenant('prod-errors-a'), provisionTenant('prod-errors-b')]);
    globexProject = await createProject(globex.token);
  });

  after(() => production.stop());

  async function post(query: string, variables: Record<string, unknown>, accept = 'application/json') {
    const response = await fetch(production.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${acme.token}` },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] },
    };
  }

  it("answers NOT_FOUND for another tenant's project in a mutation, and BAD_USER_INPUT for a malformed id", async () => {
    const createTask = 'mutation Create($projectId: ID!) { createTask(input: { projectId: $projectId, title: "x" }) { id } }';
    const foreign = await post(createTask, { projectId: globexProject });
    expect(foreign.body.errors?.map((error) => [error.message, error.extensions.code])).to.deep.equal([['Project not found', 'NOT_FOUND']]);
    const malformed = await post(createTask, { projectId: 'not-a-uuid' });
    expect(malformed.body.errors?.map((error) => error.extensions.code)).to.deep.equal(['BAD_USER_INPUT']);
  });

  it('answers variables that do not coerce with BAD_USER_INPUT (400 for graphql-response+json, 200 for application/json)', async () => {
    const list = 'query List($first: Int) { projects(first: $first) { totalCount } }';
    const legacy = await post(list, { first: 'twenty' });
    expect([legacy.status, legacy.body.errors?.map((error) => error.extensions.code)]).to.deep.equal([200, ['BAD_USER_INPUT']]);
    const current = await post(list, { first: 'twenty' }, 'application/graphql-response+json');
    expect([current.status, current.body.errors?.map((error) => error.extensions.code)]).to.deep.equal([400, ['BAD_USER_INPUT']]);
    const counted = await post(list, { first: 5 });
    expect(counted.body).to.deep.equal({ data: { projects: { totalCount: 0 } } });
  });
});
