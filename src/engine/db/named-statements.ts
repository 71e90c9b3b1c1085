import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { PoolClient } from 'pg';

/**
 * Statements PostgreSQL parses and plans once per connection instead of once per request. MikroORM
 * inlines every value, so PostgreSQL parsed and planned each read anew: planning Q1's lateral page
 * cost more of PostgreSQL's CPU than running it. A statement whose text stays the same across
 * requests (a compiled read, `compiled-reads.ts`) is sent here with its values as parameters and
 * under a name derived from its text; pg prepares it on a connection's first use and only binds
 * and executes it afterwards.
 */

/**
 * Statement names by text; a text is registered by the code that compiled it, never by a request's
 * values. Bounded like the compiled shapes; a text registered again gets the same name.
 */
const names = new LRUCache<string, string>({ max: 2_000 });

/**
 * Names one connection prepares at most: each costs memory in its PostgreSQL backend, and shapes
 * (page size × list length) are many more than the ones traffic uses. Beyond it, statements are
 * sent with parameters but unnamed (parsed and planned each time, as without this).
 */
const MAX_PREPARED_PER_CONNECTION = 100;

/** `sql` with MikroORM's value tokens numbered as PostgreSQL's parameters; undefined when it holds an identifier token. */
export function positional(sql: string): string | undefined {
  if (sql.includes('??')) return undefined;
  let next = 0;
  return sql.replace(/\\\?|\?/g, (token) => (token === '?' ? `$${++next}` : '?'));
}

/** `text` (positional `$n` parameters) with `parameters`, to be run as a prepared statement. */
export function namedStatement(text: string, parameters: readonly unknown[]): CompiledQuery {
  if (!names.has(text)) names.set(text, `t_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`);
  return CompiledQuery.raw(text, [...parameters]);
}

/**
 * Makes `client` send a registered text as its named statement. Kysely calls `query(text,
 * parameters)`; pg prepares a `{ name, text, values }` query on its first use on the connection and
 * remembers it (`connection.parsedStatements`), so later uses send only Bind and Execute.
 */
export function useNamedStatements(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const prepared = new Set<string>();
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values, ...rest] = args;
    const name = typeof text === 'string' && Array.isArray(values) ? names.get(text) : undefined;
    if (name === undefined || (!prepared.has(name) && prepared.size >= MAX_PREPARED_PER_CONNECTION)) return query(...args);
    prepared.add(name);
    return query({ name, text, values }, ...rest);
  };
}
