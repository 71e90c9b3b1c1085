import pg from 'pg';
import { testEnv } from '../setup/environment.js';

/** A superuser query on the test database: sees past RLS, for checking what is really stored. */
export async function adminQuery<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: testEnv().adminDatabaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A raw connection as the app role (what the gateway connects as), to attack RLS directly. */
export async function withAppRoleClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testEnv().urls.appUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE a statement fails with, or undefined when it succeeds. */
export async function sqlState(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

/** `adminQuery` for a statement that returns exactly one row (a count, one stored record). */
export async function adminOne<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
  const rows = await adminQuery<T>(sql, params);
  const [row] = rows;
  if (!row || rows.length > 1) throw new Error(`Expected one row, got ${rows.length}: ${sql}`);
  return row;
}
