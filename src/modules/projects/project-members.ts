import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { groupBy } from '../../engine/graphql/batch-loaders.js';
import type { LoaderFactory } from '../../engine/graphql/loaders.js';
import { tenantIdOf } from '../../engine/tenancy/tenant-filter.js';

/*
 * project_members is a plain junction (composite key, no id of its own), so it is written and read
 * with SQL. The ORM filter does not reach raw SQL: every statement names the tenant itself.
 */

/** Makes a member of the tenant a member of the project (no-op when already one). */
export async function addProjectMember(em: EntityManager, projectId: string, userId: string): Promise<void> {
  await em.execute('insert into project_members (tenant_id, project_id, user_id) values (?, ?, ?) on conflict do nothing', [
    tenantIdOf(em),
    projectId,
    userId,
  ]);
}

/** The user ids of each project's members, in the order they joined. */
export const memberIdsByProject: LoaderFactory<string, string[]> = (em) =>
  new DataLoader(async (projectIds) => {
    const rows = await em.execute<{ project_id: string; user_id: string }[]>(
      `select project_id, user_id from project_members
       where tenant_id = ? and project_id in (?) order by added_at, user_id`,
      [tenantIdOf(em), [...projectIds]],
    );
    const byProject = groupBy(rows, (row) => row.project_id);
    return projectIds.map((id) => (byProject.get(id) ?? []).map((row) => row.user_id));
  });
