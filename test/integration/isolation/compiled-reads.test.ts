import type { EntityManager } from '@mikro-orm/postgresql';
import { raw } from '@mikro-orm/core';
import { expect } from 'chai';
import { childPageLoader } from '../../../src/engine/graphql/batch-loaders.js';
import { isKept, runCompiledRead, type ReadBuilder } from '../../../src/engine/graphql/compiled-reads.js';
import { countOf } from '../../../src/engine/graphql/child-counts.js';
import { findRows } from '../../../src/engine/graphql/plain-rows.js';
import { TENANT_FILTER } from '../../../src/engine/tenancy/tenant-filter.js';
import { inTenantTransaction } from '../../../src/engine/tenancy/tenant-session.js';
import { Project } from '../../../src/modules/projects/project.entity.js';
import { Task } from '../../../src/modules/tasks/task.entity.js';
import { taskCountOfProject } from '../../../src/modules/tasks/task.loaders.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { createProject, createTask } from '../../support/projects.js';
import { adminQuery } from '../../support/sql.js';

/**
 * Hot reads are compiled once per shape and then run with each request's values and tenant
 * (`engine/graphql/compiled-reads.ts`). These checks attack the kept statement: a shape first
 * compiled for one tenant, then run for another; the ORM layer alone (RLS showing another
 * tenant than the filter names); tenants racing on one shape; one prepared statement reused by
 * both tenants on a pooled connection.
 */
describe('isolation: reads compiled once per shape', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  const projects: Record<string, string[]> = {};
  const tasks: Record<string, string[]> = {};
  const root = (): EntityManager => testEnv().services.orm.em;

  /** Pages of the first 5 tasks of `projectIds`, read as the project-tasks field reads them. */
  function taskPages(em: EntityManager, projectIds: string[]): Promise<Task[][]> {
    const loader = childPageLoader(em, Task, 'projectId', Project);
    return Promise.all(projectIds.map((parentId) => loader.load({ parentId, limit: 5 })));
  }

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('compiled-a'), provisionTenant('compiled-b')]);
    for (const tenant of [acme, globex]) {
      projects[tenant.id] = [await createProject(tenant.token), await createProject(tenant.token)];
      tasks[tenant.id] = [];
      for (const projectId of projects[tenant.id] ?? []) tasks[tenant.id]?.push(await createTask(tenant.token, projectId));
    }
  });

  it('binds each later read to its own tenant, whichever tenant compiled the shape', async () => {
    const [acmeProject] = projects[acme.id] ?? [];
    const [globexProject] = projects[globex.id] ?? [];
    const byId = (em: EntityManager, id: string) => findRows(em, Project, { id }, { limit: 1 });
    const own = await inTenantTransaction(root(), acme.id, (em) => byId(em, acmeProject!));
    expect(own.map((row) => row.id)).to.deep.equal([acmeProject]);
    // Same shape, now from globex: acme's id is not found, globex's own is.
    const guessed = await inTenantTransaction(root(), globex.id, (em) => byId(em, acmeProject!));
    expect(guessed).to.deep.equal([]);
    const mine = await inTenantTransaction(root(), globex.id, (em) => byId(em, globexProject!));
    expect(mine.map((row) => [row.id, row.tenantId])).to.deep.equal([[globexProject, globex.id]]);

    const guessedPages = await inTenantTransaction(root(), globex.id, (em) => taskPages(em, projects[acme.id]!));
    expect(guessedPages.flat()).to.deep.equal([]);
    const ownPages = await inTenantTransaction(root(), globex.id, (em) => taskPages(em, projects[globex.id]!));
    expect(
      ownPages
        .flat()
        .map((task) => task.id)
        .sort(),
    ).to.deep.equal([...tasks[globex.id]!].sort());
  });

  it('names the tenant in the statement itself: with RLS showing acme and the filter naming globex, acme rows stay hidden', async () => {
    const acmeProjects = projects[acme.id]!;
    const seen = await inTenantTransaction(root(), acme.id, async (em) => {
      em.setFilterParams(TENANT_FILTER, { tenantId: globex.id });
      return {
        projects: await findRows(em, Project, { id: { $in: acmeProjects } }),
        list: await findRows(em, Project, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 10 }),
        pages: (await taskPages(em, acmeProjects)).flat(),
      };
    });
    expect(seen).to.deep.equal({ projects: [], list: [], pages: [] });
  });

  it('keeps tenants apart when they race on one shape over pooled connections', async () => {
    const reads = Array.from({ length: 24 }, (_, index) => (index % 2 === 0 ? acme : globex)).map((tenant) =>
      inTenantTransaction(root(), tenant.id, async (em) => ({
        tenant: tenant.id,
        rows: await findRows(em, Project, { id: { $in: [...projects[acme.id]!, ...projects[globex.id]!] } }),
        pages: (await taskPages(em, [...projects[acme.id]!, ...projects[globex.id]!])).flat(),
      })),
    );
    for (const { tenant, rows, pages } of await Promise.all(reads)) {
      expect(rows.map((row) => row.id).sort()).to.deep.equal([...projects[tenant]!].sort());
      expect(pages.map((task) => task.id).sort()).to.deep.equal([...tasks[tenant]!].sort());
      expect(new Set([...rows, ...pages].map((row) => row.tenantId))).to.deep.equal(new Set([tenant]));
    }
  });

  it('runs a kept read as one prepared statement per connection that, past its switch to a generic plan, still answers each tenant alone', async () => {
    const everyProject = [...projects[acme.id]!, ...projects[globex.id]!];
    const prepared = (em: EntityManager) =>
      em.execute<{ name: string; runs: number }[]>(
        `select name, (generic_plans + custom_plans)::int as runs from pg_prepared_statements where name like 't\\_%'`,
      );
    let seenRuns = 0;
    // One after another, so the pool hands the same connection back (PostgreSQL plans a prepared
    // statement generically after five runs: later runs must still bind each request's tenant).
    for (let run = 0; run < 12; run++) {
      const tenant = run % 2 === 0 ? acme : globex;
      const { rows, statements } = await inTenantTransaction(root(), tenant.id, async (em) => ({
        rows: await findRows(em, Project, { id: { $in: everyProject } }),
        statements: await prepared(em),
      }));
      expect(rows.map((row) => row.id).sort()).to.deep.equal([...projects[tenant.id]!].sort());
      expect(statements.length, 'a prepared statement on the connection').to.be.greaterThan(0);
      seenRuns = Math.max(seenRuns, ...statements.map((statement) => statement.runs));
    }
    expect(seenRuns, 'runs of one prepared statement on one connection').to.be.greaterThan(5);
  });

  it('keeps answering from its prepared statements when a migration adds and drops a column while the gateway runs', async () => {
    const ownProjects = () =>
      inTenantTransaction(root(), acme.id, async (em) => ({
        rows: await findRows(em, Project, { id: { $in: projects[acme.id]! } }),
        pages: (await taskPages(em, projects[acme.id]!)).flat(),
      }));
    const expectOwn = ({ rows, pages }: Awaited<ReturnType<typeof ownProjects>>) => {
      expect(rows.map((row) => row.id).sort()).to.deep.equal([...projects[acme.id]!].sort());
      expect(pages.map((task) => task.id).sort()).to.deep.equal([...tasks[acme.id]!].sort());
    };
    for (let run = 0; run < 3; run++) expectOwn(await ownProjects());
    try {
      await adminQuery('alter table projects add column compiled_reads_probe int');
      await adminQuery('alter table tasks add column compiled_reads_probe int');
      for (let run = 0; run < 3; run++) expectOwn(await ownProjects());
    } finally {
      await adminQuery('alter table projects drop column if exists compiled_reads_probe');
      await adminQuery('alter table tasks drop column if exists compiled_reads_probe');
    }
    for (let run = 0; run < 3; run++) expectOwn(await ownProjects());
  });

  it("counts each list row's children (Project.taskCount) in the list's statement for its own tenant only, even with RLS off", async () => {
    const [acmeProject] = projects[acme.id]!;
    // Globex gets a project with acme's project id (keys are per tenant) and three tasks in it: a
    // count that matched on the project id alone would add them to acme's.
    await adminQuery(`insert into projects (tenant_id, id, name, owner_id) values ($1, $2, 'same id, other tenant', $3)`, [
      globex.id,
      acmeProject,
      globex.ownerId,
    ]);
    await adminQuery(
      `insert into tasks (tenant_id, id, project_id, title) select $1, gen_random_uuid(), $2, 'foreign ' || n from generate_series(1, 3) n`,
      [globex.id, acmeProject],
    );
    const listCounts = (tenant: TestTenant) =>
      inTenantTransaction(root(), tenant.id, async (em) => {
        const rows = await findRows(
          em,
          Project,
          {},
          { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 10, counts: [taskCountOfProject] },
        );
        return Object.fromEntries(rows.map((row) => [row.id, countOf(row, taskCountOfProject)]));
      });
    try {
      const own = { [projects[acme.id]![0]!]: 1, [projects[acme.id]![1]!]: 1 };
      expect(await listCounts(acme)).to.deep.equal(own);
      expect(await listCounts(globex)).to.deep.equal({ [projects[globex.id]![0]!]: 1, [projects[globex.id]![1]!]: 1, [acmeProject!]: 3 });
      // The ORM filter alone: row-level security off on tasks, the count still names acme.
      await adminQuery('alter table tasks disable row level security');
      try {
        expect(await listCounts(acme)).to.deep.equal(own);
      } finally {
        await adminQuery('alter table tasks enable row level security');
      }
    } finally {
      await adminQuery('delete from projects where tenant_id = $1 and id = $2', [globex.id, acmeProject]);
    }
  });

  it('keeps no statement that would hold a value or miss the tenant: such a read is built each time, with its own values', async () => {
    const [acmeProject] = projects[acme.id]!;
    const [globexProject] = projects[globex.id]!;
    const inLiteral: ReadBuilder = async (on, [id]) => {
      const qb = on
        .createQueryBuilder(Project)
        .select('*')
        .where(raw(`id::text like '%${id}%'`));
      await qb.applyFilters();
      return qb as never;
    };
    const unfiltered: ReadBuilder = async (on, [id]) => on.createQueryBuilder(Project).select('*').where({ id }) as never;
    for (const [shape, build] of [
      ['test: a value inside a literal', inLiteral],
      ['test: no filter', unfiltered],
    ] as const) {
      const acmeRows = await inTenantTransaction(root(), acme.id, (em) => runCompiledRead(em, Project, shape, [acmeProject!], build));
      expect(acmeRows.map((row) => row.id)).to.deep.equal([acmeProject]);
      const globexRows = await inTenantTransaction(root(), globex.id, (em) => runCompiledRead(em, Project, shape, [globexProject!], build));
      expect(globexRows.map((row) => row.id)).to.deep.equal([globexProject]);
      expect(isKept(shape), shape).to.equal(false);
    }
    // A subquery's inlined value (MikroORM formats joined subqueries) is lifted out and kept.
    const inlined: ReadBuilder = async (on, [id]) => {
      const qb = on
        .createQueryBuilder(Project)
        .select('*')
        .where(raw(`id = '${id}'`));
      await qb.applyFilters();
      return qb as never;
    };
    const rows = await inTenantTransaction(root(), globex.id, (em) =>
      runCompiledRead(em, Project, 'test: inlined', [acmeProject!], inlined),
    );
    expect(rows).to.deep.equal([]);
    expect(isKept('test: inlined')).to.equal(true);
  });
});
