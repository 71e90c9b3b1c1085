import pg from 'pg';
import { APP_ROLE, withDatabase } from '../src/engine/db/bootstrap.js';

export interface StatementStats {
  /** Statements the app role ran in the database (BEGIN, set_config, queries and COMMIT each count one). */
  calls: number;
  /** Their total execution time inside PostgreSQL. */
  execMs: number;
  /** The most frequent ones, normalised by pg_stat_statements. */
  top: { calls: number; meanMs: number; query: string }[];
}

/**
 * Counts statements on the server side with pg_stat_statements (the production gateway hides its
 * x-sql-statements header, and a server-side count also sees BEGIN/COMMIT, which the ORM's
 * onQuery hook does not). Null when the server does not preload the extension.
 */
export class StatementCounter {
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  static async open(adminUrl: string, database: string): Promise<StatementCounter | null> {
    // The view lives in one database and reports on all of them.
    const client = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
    await client.connect();
    try {
      await client.query('create extension if not exists pg_stat_statements');
      await client.query('select pg_stat_statements_reset()');
      return new StatementCounter(client, database);
    } catch {
      await client.end();
      return null;
    }
  }

  async reset(): Promise<void> {
    await this.client.query('select pg_stat_statements_reset()');
  }

  async read(): Promise<StatementStats> {
    const { rows } = await this.client.query<{ query: string; calls: string; ms: number }>(
      `select s.query, s.calls, s.total_exec_time as ms
       from pg_stat_statements s
       join pg_roles r on r.oid = s.userid and r.rolname = $1
       join pg_database d on d.oid = s.dbid and d.datname = $2
       order by s.calls desc`,
      [APP_ROLE, this.database],
    );
    return {
      calls: rows.reduce((sum, row) => sum + Number(row.calls), 0),
      execMs: rows.reduce((sum, row) => sum + row.ms, 0),
      top: rows.slice(0, 8).map((row) => ({
        calls: Number(row.calls),
        meanMs: Math.round((row.ms / Number(row.calls)) * 1000) / 1000,
        query: row.query.replace(/\s+/g, ' ').slice(0, 200),
      })),
    };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
