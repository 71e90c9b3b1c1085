import pg from 'pg';

export const OWNER_ROLE = 'tessera_owner';
export const APP_ROLE = 'tessera_app';
/** The platform operators' read-only role: its own login and pool, the only role the `*_platform_read` policies name. */
export const PLATFORM_ROLE = 'tessera_platform';

export interface DatabaseUrls {
  /** The app role: owns nothing, no BYPASSRLS. */
  appUrl: string;
  /** The owner role: runs migrations. */
  migratorUrl: string;
  /** The platform role: reads across tenants for audited platform operations, writes almost nothing. */
  platformUrl: string;
}

/**
 * With a superuser connection (zero-setup and tests only), creates the roles (`tessera_owner`
 * owns the tables and runs migrations; `tessera_app` serves requests under RLS; `tessera_platform`
 * reads across tenants for audited platform operations) and a database owned by the owner role.
 * Idempotent; production creates these once by hand (README).
 */
export async function prepareDatabase(adminUrl: string, database: string, password: string): Promise<DatabaseUrls> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const role of [OWNER_ROLE, APP_ROLE, PLATFORM_ROLE]) {
      await createRoleIfMissing(admin, role);
      await admin.query(
        `alter role ${role} login nosuperuser nocreatedb nocreaterole nobypassrls password ${admin.escapeLiteral(password)}`,
      );
    }
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) {
      await ignoreDuplicate(admin.query(`create database ${admin.escapeIdentifier(database)} owner ${OWNER_ROLE}`));
    }
  } finally {
    await admin.end();
  }
  const inDatabase = new pg.Client({ connectionString: withDatabase(adminUrl, database) });
  await inDatabase.connect();
  try {
    await inDatabase.query(`alter schema public owner to ${OWNER_ROLE}`);
    await inDatabase.query('revoke all on schema public from public');
  } finally {
    await inDatabase.end();
  }
  return {
    appUrl: withCredentials(adminUrl, database, APP_ROLE, password),
    migratorUrl: withCredentials(adminUrl, database, OWNER_ROLE, password),
    platformUrl: withCredentials(adminUrl, database, PLATFORM_ROLE, password),
  };
}

/** Drops a database made by `prepareDatabase` (tests), closing its remaining connections. */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${admin.escapeIdentifier(database)} with (force)`);
  } finally {
    await admin.end();
  }
}

async function createRoleIfMissing(admin: pg.Client, role: string): Promise<void> {
  const found = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
  if (found.rowCount === 0) await ignoreDuplicate(admin.query(`create role ${role}`));
}

/** Two processes may race to create the same role or database; the loser is fine. */
async function ignoreDuplicate(query: Promise<unknown>): Promise<void> {
  try {
    await query;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '42710' && code !== '42P04' && code !== '23505') throw error;
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function withCredentials(url: string, database: string, user: string, password: string): string {
  const parsed = new URL(withDatabase(url, database));
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}
