import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DUMMY_PASSWORD_HASH } from '../src/engine/identity/passwords.js';

/**
 * Everything seeded is older than this; rows created by a benchmark run (Q3) are newer, so
 * deleting newer rows puts the data back as seeded. The anchor harness uses the same cutoff.
 */
export const SEED_CUTOFF = '2025-06-01';

/** Members per tenant: user 1 OWNER, 2 MANAGER, 3–4 MEMBER, 5 VIEWER. */
export const MEMBER_ROLES = ['OWNER', 'MANAGER', 'MEMBER', 'MEMBER', 'VIEWER'] as const;

/*
 * Set-based and deterministic, with the ids, names and timestamps of the anchor benchmark's
 * sql/seed.sql (md5-derived UUIDs, fixed timestamps), so the anchor's fixtures.json (tenant,
 * project and user ids) is valid against this data too. What our schema adds: users are global
 * with a membership per tenant, every project has its owner and its 5 assignees as project
 * members, and statuses use our enums. $1 = tenants; nobody can sign in as a seeded user (their
 * password hash is the dummy one sign-in verifies against for unknown e-mails).
 */
const SEED_STATEMENTS = [
  `insert into tenants (id, name, slug, subdomain, plan, status, created_at, updated_at)
   select md5('tenant-' || g)::uuid, 'Tenant ' || g, 'tenant-' || g, 'tenant-' || g,
          (array['FREE', 'PRO', 'ENTERPRISE'])[1 + g % 3], 'ACTIVE',
          timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute',
          timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute'
   from generate_series(1, $1::int) g`,
  `insert into users (id, email, name, password_hash, created_at)
   select md5('user-' || g || '-' || u)::uuid, 'user' || u || '@tenant-' || g || '.example',
          'User ' || u || ' of tenant ' || g, $2::text,
          timestamptz '2025-01-02 00:00:00+00' + g * interval '1 minute' + u * interval '1 second'
   from generate_series(1, $1::int) g, generate_series(1, 5) u`,
  `insert into memberships (tenant_id, id, user_id, role, created_at)
   select md5('tenant-' || g)::uuid, md5('membership-' || g || '-' || u)::uuid, md5('user-' || g || '-' || u)::uuid,
          (array['OWNER', 'MANAGER', 'MEMBER', 'MEMBER', 'VIEWER'])[u],
          timestamptz '2025-01-02 00:00:00+00' + g * interval '1 minute' + u * interval '1 second'
   from generate_series(1, $1::int) g, generate_series(1, 5) u`,
  `insert into projects (tenant_id, id, name, status, owner_id, created_at, updated_at)
   select md5('tenant-' || g)::uuid, md5('project-' || g || '-' || p)::uuid, 'Project ' || p || ' of tenant ' || g,
          (array['ACTIVE', 'ACTIVE', 'DRAFT', 'COMPLETED'])[1 + p % 4], md5('user-' || g || '-' || (1 + p % 5))::uuid,
          timestamptz '2025-01-03 00:00:00+00' + p * interval '1 day' + g * interval '1 second',
          timestamptz '2025-01-03 00:00:00+00' + p * interval '1 day' + g * interval '1 second'
   from generate_series(1, $1::int) g, generate_series(1, 20) p`,
  `insert into project_members (tenant_id, project_id, user_id, added_at)
   select md5('tenant-' || g)::uuid, md5('project-' || g || '-' || p)::uuid, md5('user-' || g || '-' || u)::uuid,
          timestamptz '2025-01-03 00:00:00+00' + p * interval '1 day' + g * interval '1 second'
   from generate_series(1, $1::int) g, generate_series(1, 20) p, generate_series(1, 5) u`,
  `insert into tasks (tenant_id, id, project_id, title, status, assignee_id, created_at, updated_at)
   select md5('tenant-' || g)::uuid, md5('task-' || g || '-' || p || '-' || k)::uuid, md5('project-' || g || '-' || p)::uuid,
          'Task ' || k || ' of project ' || p || ' of tenant ' || g,
          (array['TODO', 'IN_PROGRESS', 'DONE'])[1 + k % 3],
          case when k % 10 = 0 then null else md5('user-' || g || '-' || (1 + (k + p) % 5))::uuid end,
          timestamptz '2025-02-01 00:00:00+00' + p * interval '1 day' + k * interval '1 minute' + g * interval '1 millisecond',
          timestamptz '2025-02-01 00:00:00+00' + p * interval '1 day' + k * interval '1 minute' + g * interval '1 millisecond'
   from generate_series(1, $1::int) g, generate_series(1, 20) p, generate_series(1, 50) k`,
];

/** Changes whenever the seed does, so a database seeded by an older version is not reused. */
export const SEED_FINGERPRINT = createHash('sha256').update(SEED_STATEMENTS.join('\n')).digest('hex').slice(0, 12);

/** Fills an empty, migrated database as a superuser (RLS does not apply to it), in one transaction; ANALYZE is the caller's. */
export async function seedDataset(admin: pg.Client, tenants: number): Promise<void> {
  await admin.query('set synchronous_commit = off');
  await admin.query('begin');
  try {
    for (const statement of SEED_STATEMENTS) {
      await admin.query(statement, statement.includes('$2') ? [tenants, DUMMY_PASSWORD_HASH] : [tenants]);
    }
    await admin.query('commit');
  } catch (error) {
    await admin.query('rollback');
    throw error;
  }
}

/** Deletes what a run created (tasks and their comments by cascade, project memberships) and re-analyzes. */
export async function deleteRunRows(admin: pg.Client): Promise<number> {
  const { rowCount } = await admin.query('delete from tasks where created_at >= $1', [SEED_CUTOFF]);
  await admin.query('delete from project_members where added_at >= $1', [SEED_CUTOFF]);
  await admin.query('vacuum (analyze) tasks');
  return rowCount ?? 0;
}
