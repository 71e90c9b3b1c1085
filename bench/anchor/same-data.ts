import pg from 'pg';

/*
 * One fingerprint per table over what the benchmark and its checks rely on (ids, tenant,
 * references, names, timestamps): the row count and the sum of a 64-bit hash of every row,
 * computed the same way in the anchor's database and in ours.
 * Our users table is global: the anchor's users are ours minus the bench service users.
 */
const fingerprint = (columns: string, from: string) =>
  `select count(*), sum(hashtextextended(concat_ws('|', ${columns}), 0)::numeric) as hash from ${from}`;

const FINGERPRINTS: Record<string, { anchor: string; ours: string }> = {
  tenants: { anchor: fingerprint('id, slug, created_at', 'tenants'), ours: fingerprint('id, slug, created_at', 'tenants') },
  users: {
    anchor: fingerprint('id, tenant_id, name, created_at', 'users'),
    ours: fingerprint(
      'u.id, m.tenant_id, u.name, u.created_at',
      'users u join memberships m on m.user_id = u.id where u.id <> m.tenant_id',
    ),
  },
  projects: {
    anchor: fingerprint('id, tenant_id, name, created_at', 'projects'),
    ours: fingerprint('id, tenant_id, name, created_at', 'projects'),
  },
  tasks: {
    anchor: fingerprint('id, tenant_id, project_id, assignee_id, title, created_at', 'tasks'),
    ours: fingerprint('id, tenant_id, project_id, assignee_id, title, created_at', 'tasks'),
  },
};

/** Throws unless our database holds the anchor's rows (same ids, references, names and times). */
export async function assertSameData(anchorUrl: string, oursUrl: string): Promise<void> {
  const anchor = new pg.Client({ connectionString: anchorUrl });
  const ours = new pg.Client({ connectionString: oursUrl });
  await Promise.all([anchor.connect(), ours.connect()]);
  try {
    for (const client of [anchor, ours]) await client.query(`set timezone = 'UTC'`);
    for (const [table, sql] of Object.entries(FINGERPRINTS)) {
      const [a, o] = await Promise.all([anchor.query(sql.anchor), ours.query(sql.ours)]);
      if (JSON.stringify(a.rows[0]) !== JSON.stringify(o.rows[0])) {
        throw new Error(`${table} differ from the anchor's: ${JSON.stringify(a.rows[0])} vs ${JSON.stringify(o.rows[0])}`);
      }
    }
  } finally {
    await Promise.all([anchor.end(), ours.end()]);
  }
}
