import { expect } from 'chai';
import { print } from 'graphql';
import pg from 'pg';
import { DEMO_TENANTS } from '../../../seeds/demo-data.js';
import { loadConfig } from '../../../src/engine/config.js';
import { seedDemoData } from '../../../src/demo.js';
import { createLogger } from '../../../src/engine/observability/logger.js';
import { startServer, type RunningServer } from '../../../src/engine/http/server.js';
import { type AppServices } from '../../../src/engine/services.js';
import { ProjectTreeDocument, type ProjectTreeQuery } from '../../generated/graphql.js';
import { createTestDatabase, dropTestDatabase, testEnv } from '../../setup/environment.js';
import { createAppServices } from '../../../src/app.js';

describe('demo seed: projects, tasks, assignees and comments in every demo tenant', function () {
  this.timeout(60_000);
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let services: AppServices;
  let server: RunningServer;

  before(async () => {
    const log = createLogger('silent');
    // A migrated database of its own, with the roles' one password (never another: roles are cluster-wide).
    database = await createTestDatabase('tessera_seed');
    const urls = database.urls;
    const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: testEnv().redisUrl });
    services = await createAppServices({
      config,
      log,
      databaseUrl: urls.appUrl,
      platformDatabaseUrl: urls.platformUrl,
      jwtSecret: testEnv().jwtSecret,
    });
    await seedDemoData(services, urls.migratorUrl);
    await seedDemoData(services, urls.migratorUrl);
    server = await startServer(services, 0, '127.0.0.1');
  });

  after(async () => {
    await server?.stop();
    await services?.close();
    if (database) await dropTestDatabase(database.name);
  });

  async function countRows(table: string): Promise<Record<string, number>> {
    const client = new pg.Client({ connectionString: database!.adminDatabaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ tenant_id: string; count: number }>(
        `select tenant_id, count(*)::int as count from ${table} group by tenant_id`,
      );
      return Object.fromEntries(rows.map((row) => [row.tenant_id, row.count]));
    } finally {
      await client.end();
    }
  }

  it('gives each demo tenant the same projects once, even when the seed runs twice', async () => {
    const expected = { projects: 5, tasks: 7, comments: 5, project_members: 7 };
    for (const [table, count] of Object.entries(expected)) {
      const counts = await countRows(table);
      for (const tenant of DEMO_TENANTS) expect(counts[tenant.id], `${table} of ${tenant.slug}`).to.equal(count);
    }
  });

  it('reads back through the API as a demo viewer: statuses, assignees and comment authors', async () => {
    for (const tenant of DEMO_TENANTS) {
      const viewer = tenant.users.find((user) => user.role === 'VIEWER')!;
      const response = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${services.tokens.sign({ sub: viewer.id, tid: tenant.id })}`,
        },
        body: JSON.stringify({ query: print(ProjectTreeDocument), variables: { first: 10, tasksFirst: 10, commentsFirst: 10 } }),
      });
      const { data, errors } = (await response.json()) as { data: ProjectTreeQuery; errors?: unknown };
      expect(errors).to.equal(undefined);
      const projects = data.projects!.edges.map((edge) => edge.node);
      expect(projects.map((project) => project.name)).to.deep.equal([
        'Legacy CRM',
        'Office move',
        'Quarterly planning',
        'Customer portal',
        'Website relaunch',
      ]);
      const names = new Set(tenant.users.map((user) => user.name));
      const tasks = projects.flatMap((project) => project.tasks.edges.map((edge) => edge.node));
      expect(tasks.filter((task) => task.assignee).every((task) => names.has(task.assignee!.name))).to.equal(true);
      const authors = tasks.flatMap((task) => task.comments.edges.map((edge) => edge.node.author?.name));
      expect(authors).to.have.length(5);
      expect(authors.every((name) => names.has(name!))).to.equal(true);
    }
  });
});
