import pg from 'pg';
import type { TokenService } from '../src/engine/identity/tokens.js';

export interface LoadMember {
  id: string;
  role: string;
  /** An access token of this member for this tenant. */
  token: string;
}

export interface LoadTenant {
  id: string;
  slug: string;
  projectIds: string[];
  members: LoadMember[];
}

/**
 * The tenants the load picks from (tenant-1 … tenant-N, like the anchor's 100 load tenants), with
 * their projects (oldest first) and members, each member's token signed up front.
 */
export async function loadTenants(adminDatabaseUrl: string, count: number, tokens: TokenService): Promise<LoadTenant[]> {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    const slugs = Array.from({ length: count }, (_, i) => `tenant-${i + 1}`);
    const { rows } = await admin.query<{ id: string; slug: string; project_ids: string[]; members: { id: string; role: string }[] }>(
      `select t.id, t.slug,
         (select array_agg(p.id order by p.created_at) from projects p where p.tenant_id = t.id) as project_ids,
         (select json_agg(json_build_object('id', m.user_id, 'role', m.role) order by m.created_at)
            from memberships m where m.tenant_id = t.id) as members
       from tenants t where t.slug = any($1)
       order by substr(t.slug, 8)::int`,
      [slugs],
    );
    if (rows.length !== count) throw new Error(`expected ${count} seeded tenants, found ${rows.length}`);
    return rows.map((row) => ({
      id: row.id,
      slug: row.slug,
      projectIds: row.project_ids,
      members: row.members.map((member) => ({ ...member, token: tokens.sign({ sub: member.id, tid: row.id }) })),
    }));
  } finally {
    await admin.end();
  }
}

export function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('Nothing to pick from');
  return item;
}
