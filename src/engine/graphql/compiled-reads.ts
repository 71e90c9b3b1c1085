import type { EntityClass, EntityDictionary } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import { sendRead } from '../db/deferred-begin.js';
import { namedStatement, positional } from '../db/named-statements.js';
import { tenantIdOf } from '../tenancy/tenant-filter.js';
import { tenantFork } from '../tenancy/tenant-session.js';

/**
 * Hot reads compiled once per shape. A read is still a QueryBuilder with the ORM filters applied
 * (`applyFilters`), but it is built once, with placeholders for its values and for the tenant the
 * filter names, and its SQL is kept; each request then binds its own values and its own
 * EntityManager's tenant to those slots and runs it in its own RLS transaction. Building the
 * QueryBuilders (criteria, joins, the filter, compilation) was about a seventh of Q1's gateway CPU.
 *
 * The kept SQL holds no value and no tenant. MikroORM inlines a joined subquery's values as
 * literals; those placeholders are lifted back out into parameters. A shape whose SQL would still
 * hold one (a value converted or built into a longer literal), or a tenant-scoped read the filter
 * did not reach, is not kept: it is built with the request's own values every time, as before.
 *
 * A kept read is sent with its values as parameters, as a statement PostgreSQL prepares once per
 * connection (`db/named-statements.ts`): planning the same statement for every request was most of
 * PostgreSQL's CPU on Q1. It still counts as a statement of the request (`onQuery`) and is logged
 * like MikroORM's own.
 */

/** Placeholders: UUIDs (the tenant filter accepts UUIDs only) that only a compile uses. */
const PLACEHOLDER_PREFIX = 'ffffffff-c0de-4c0d-8c0d-';
const placeholder = (slot: number) => `${PLACEHOLDER_PREFIX}${slot.toString(16).padStart(12, '0')}`;
const TENANT_SLOT = 0xffffff;

/** A parameter of the kept SQL: a request's value (by position), the request's tenant, or a constant of the shape. */
type Parameter = { slot: number } | { tenant: true } | { constant: unknown };

interface CompiledRead {
  /** MikroORM's form (`?` tokens), for its log and hooks. */
  sql: string;
  /**
   * PostgreSQL's form (`$1`, `$2`, …); undefined when the SQL quotes an identifier through a token
   * or holds a constant that is not a plain value (then MikroORM formats it).
   */
  text: string | undefined;
  parameters: Parameter[];
}

/** Shapes are few (one per read site, page size and list length); the bound keeps a misuse from growing without end. */
const shapes = new LRUCache<string, CompiledRead | 'not kept'>({ max: 2_000 });

/**
 * Builds the read's QueryBuilder (filters applied) on `em` from `values`; given placeholders when
 * compiling. Every value that differs between requests must come from `values`: anything else
 * the builder reads (a closure's id, say) would be kept as a constant of the shape.
 */
export type ReadBuilder = (em: EntityManager, values: readonly string[]) => Promise<QueryBuilder<object>>;

/**
 * The tokens MikroORM's `formatQuery` replaces (`?` a value, `??` an identifier, `\?` none), and
 * a placeholder inlined as a literal (what `escapeLiteral` makes of one).
 */
const TOKENS = new RegExp(`'${PLACEHOLDER_PREFIX}[0-9a-f]{12}'|\\\\\\?|\\?\\?|\\?`, 'g');

/** `sql` with every inlined placeholder turned back into a `?`, and the parameters in their new order. */
function liftInlined(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  const lifted: unknown[] = [];
  let next = 0;
  const text = sql.replace(TOKENS, (token) => {
    if (token === '\\?') return token;
    if (token.startsWith("'")) {
      lifted.push(token.slice(1, -1));
      return '?';
    }
    lifted.push(params[next++]);
    return token;
  });
  return { sql: text, params: lifted };
}

const isPlainValue = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);

function parameterOf(value: unknown): Parameter {
  if (typeof value !== 'string' || !value.startsWith(PLACEHOLDER_PREFIX)) return { constant: value };
  const slot = Number.parseInt(value.slice(PLACEHOLDER_PREFIX.length), 16);
  return slot === TENANT_SLOT ? { tenant: true } : { slot };
}

async function compile(
  em: EntityManager,
  entity: EntityClass<object>,
  valueCount: number,
  build: ReadBuilder,
): Promise<CompiledRead | 'not kept'> {
  const values = Array.from({ length: valueCount }, (_, slot) => placeholder(slot));
  const built = (await build(tenantFork(em, placeholder(TENANT_SLOT)), values)).toQuery();
  const { sql, params } = liftInlined(built.sql, built.params);
  const parameters = params.map(parameterOf);
  const bound = new Set(parameters.flatMap((parameter) => ('slot' in parameter ? [parameter.slot] : [])));
  const tenantBound = parameters.some((parameter) => 'tenant' in parameter);
  const tenantScoped = 'tenantId' in em.getMetadata().get(entity).properties;
  if (sql.includes(PLACEHOLDER_PREFIX) || bound.size !== valueCount || (tenantScoped && !tenantBound)) return 'not kept';
  const kept = inlineConstants(sql, parameters, (value) => em.getPlatform().quoteValue(value));
  // pg sends a parameter as text: a constant that is not a plain value keeps MikroORM's formatting.
  const plainConstants = kept.parameters.every((parameter) => !('constant' in parameter) || isPlainValue(parameter.constant));
  return { ...kept, text: plainConstants ? positional(kept.sql) : undefined };
}

/**
 * `sql` with each constant that is not a plain value written into it as MikroORM formats it: a
 * join's column reference (`sql.ref`) is such a constant, and as a parameter it would keep the
 * whole read from being prepared. The same for every request, it belongs in the kept SQL.
 */
function inlineConstants(
  sql: string,
  parameters: readonly Parameter[],
  quote: (value: unknown) => string,
): Pick<CompiledRead, 'sql' | 'parameters'> {
  const kept: Parameter[] = [];
  let next = 0;
  const text = sql.replace(/\\\?|\?\?|\?/g, (token) => {
    if (token === '\\?') return token;
    const parameter = parameters[next++]!;
    if (token === '?' && 'constant' in parameter && !isPlainValue(parameter.constant)) {
      const written = quote(parameter.constant);
      if (!written.includes('?')) return written;
    }
    kept.push(parameter);
    return token;
  });
  return { sql: text, parameters: kept };
}

/** Whether `shape` runs from kept SQL (false before its first run, or when it could not be kept). */
export function isKept(shape: string): boolean {
  return typeof shapes.get(shape) === 'object';
}

/**
 * Runs the read `shape` (a key naming everything that changes its SQL except `values`) with
 * `values` in `em`'s transaction, scoped to `em`'s tenant: raw rows, column names as selected.
 */
export async function runCompiledRead(
  em: EntityManager,
  entity: EntityClass<object>,
  shape: string,
  values: readonly string[],
  build: ReadBuilder,
): Promise<EntityDictionary<object>[]> {
  let read = shapes.get(shape);
  if (!read) {
    read = await compile(em, entity, values.length, build);
    shapes.set(shape, read);
  }
  if (read === 'not kept') return (await build(em, values)).execute<EntityDictionary<object>[]>('all', false);
  const tenantId = read.parameters.some((parameter) => 'tenant' in parameter) ? tenantIdOf(em) : undefined;
  const params = read.parameters.map((parameter) =>
    'slot' in parameter ? values[parameter.slot] : 'tenant' in parameter ? tenantId : parameter.constant,
  );
  if (read.text === undefined) {
    return em.getConnection('write').execute<EntityDictionary<object>[]>(read.sql, params, 'all', em.getTransactionContext());
  }
  return runPrepared(em, read.sql, read.text, params);
}

/** Runs `text` as a prepared statement in `em`'s transaction, counted and logged as MikroORM counts and logs its own. */
async function runPrepared(em: EntityManager, sql: string, text: string, params: unknown[]): Promise<EntityDictionary<object>[]> {
  em.config.get('onQuery')(sql, params);
  const startedAt = Date.now();
  const trx = em.getTransactionContext<Kysely<unknown>>();
  try {
    const statement = namedStatement(text, params);
    const { rows } = await (trx
      ? sendRead<EntityDictionary<object>>(trx, statement)
      : em.getConnection('write').getClient().executeQuery<EntityDictionary<object>>(statement));
    em.config.getLogger().logQuery({ query: sql, params, took: Date.now() - startedAt, results: rows.length, level: 'info' });
    return rows;
  } catch (error) {
    em.config.getLogger().logQuery({ query: sql, params, took: Date.now() - startedAt, level: 'error' });
    throw em.getDriver().convertException(error as Error);
  }
}
