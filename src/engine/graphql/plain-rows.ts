import type { EntityClass, EntityDictionary, EntityMetadata, ObjectQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import { attachCounts, childCountSelect, type ChildCount } from './child-counts.js';
import { runCompiledRead } from './compiled-reads.js';
import { tenantStampOf } from '../tenancy/tenant-filter.js';
import type { TenantScopedEntity } from '../tenancy/tenant-scoped.entity.js';

/**
 * An entity's row read without hydration (`findRows`, nested pages): a plain object with the
 * entity's property names and types. Declare `@Root()` parameters that receive one with this type:
 * type-graphql converts a root to the parameter's class when it has one, which for an entity means
 * constructing it (a fresh id, MikroORM's property setters) once per row and per field.
 */
export type PlainRow<T> = Readonly<T>;

export interface RowQuery<T> {
  orderBy?: QueryOrderMap<T>;
  limit?: number;
  /** Other modules' counts read with each row (`countOf`). */
  counts?: readonly ChildCount[];
}

/** The column of the `index`th count in a rows statement. */
const countColumn = (index: number) => `count__${index}`;

/**
 * A condition with each string value taken out (`values`, in order) and replaced by `replace`'s
 * answer; undefined for a condition holding a value that is neither a string nor a JSON constant
 * (a Date, say), which is then not compiled.
 */
function mapStrings(condition: unknown, replace: (value: string) => unknown): unknown {
  if (typeof condition === 'string') return replace(condition);
  if (condition === null || typeof condition === 'number' || typeof condition === 'boolean') return condition;
  if (Array.isArray(condition)) {
    const items = condition.map((item) => mapStrings(item, replace));
    return items.includes(undefined) ? undefined : items;
  }
  if (typeof condition !== 'object' || Object.getPrototypeOf(condition) !== Object.prototype) return undefined;
  const entries = Object.entries(condition as object).map(([key, value]) => [key, mapStrings(value, replace)] as const);
  return entries.some(([, value]) => value === undefined) ? undefined : Object.fromEntries(entries);
}

/**
 * The columns an entity loads by default (not lazy, not virtual), named one by one: a prepared
 * statement selecting `*` would fail ("cached plan must not change result type") once a migration
 * adds a column while the gateway runs.
 */
export function columnsOf(meta: EntityMetadata): string[] {
  return meta.props.filter((prop) => !prop.lazy && prop.persist !== false && prop.fieldNames?.length).flatMap((prop) => prop.fieldNames);
}

async function rowsQuery<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: unknown,
  { orderBy, limit, counts = [] }: RowQuery<T>,
) {
  const qb = em
    .createQueryBuilder(entity, 'r')
    .select(columnsOf(em.getMetadata().get(entity)) as never)
    .where(where as never);
  for (const [index, count] of counts.entries()) qb.addSelect(await childCountSelect(em, count, 'r', countColumn(index)));
  if (orderBy) qb.orderBy(orderBy);
  if (limit !== undefined) qb.limit(limit);
  await qb.applyFilters();
  return qb;
}

/**
 * Rows of `entity` matching `where`, read like any find (a QueryBuilder with the ORM filters
 * applied, inside the caller's RLS transaction) but returned as plain objects: no entity is built,
 * merged into the identity map or tracked for changes. For rows a request only reads. A condition
 * of strings and constants is compiled once per shape (`compiled-reads.ts`); its strings are then
 * bound as given, so a condition on a property whose custom type rewrites values belongs in a find.
 */
export async function findRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: ObjectQuery<T>,
  query: RowQuery<T> = {},
): Promise<PlainRow<T>[]> {
  const values: string[] = [];
  const template = mapStrings(where, (value) => {
    values.push(value);
    return '?';
  });
  const order = query.orderBy === undefined ? null : mapStrings(query.orderBy, (direction) => direction);
  const meta = em.getMetadata().get(entity);
  let rows: EntityDictionary<T>[];
  if (template === undefined || order === undefined) {
    rows = await (await rowsQuery(em, entity, where, query)).execute<EntityDictionary<T>[]>('all', false);
  } else {
    const counted = (query.counts ?? []).map((count) => count.field).join(',');
    const shape = `rows ${meta.className} (${meta.tableName}) ${JSON.stringify(template)} ${JSON.stringify(order)} ${query.limit ?? ''} ${counted}`;
    rows = (await runCompiledRead(em, entity, shape, values, async (on, placeholders) => {
      let next = 0;
      const qb = await rowsQuery(
        on,
        entity,
        mapStrings(where, () => placeholders[next++]),
        query,
      );
      return qb as unknown as QueryBuilder<object>;
    })) as EntityDictionary<T>[];
  }
  const driver = em.getDriver();
  const counts = query.counts ?? [];
  if (counts.length === 0) return rows.map((row) => driver.mapResult(row, meta) as T);
  return rows.map((row) => {
    const own: Record<string, unknown> = { ...row };
    const countsOfRow: Record<string, number> = {};
    for (const [index, count] of counts.entries()) {
      countsOfRow[count.field] = Number(own[countColumn(index)]);
      delete own[countColumn(index)];
    }
    const plain = driver.mapResult(own as EntityDictionary<T>, meta) as T;
    attachCounts(plain, countsOfRow);
    return plain;
  });
}

/** A value of a row to insert as a statement parameter: a date as ISO text (UTC), as PostgreSQL reads it. */
const insertedValue = (value: unknown): string => (value instanceof Date ? value.toISOString() : (value as string));

/**
 * Inserts `row` as given, without the unit of work: no entity is built, and no change set is
 * computed at the flush or at the commit. For a row a request creates and only returns. It is
 * stamped with `em`'s tenant, as a flushed entity is (`TenantStampSubscriber`), and RLS checks it.
 * The INSERT is a QueryBuilder compiled once per entity and column list and then sent prepared,
 * like the hot reads (`compiled-reads.ts`): the row's values are its parameters, the tenant the
 * request's own.
 */
export async function insertRow<T extends TenantScopedEntity>(
  em: EntityManager,
  entity: EntityClass<T>,
  row: Omit<PlainRow<T>, 'tenantId'>,
): Promise<PlainRow<T>> {
  const columns = Object.keys(row);
  const shape = `insert ${entity.name} (${columns.join(',')})`;
  const values = columns.map((column) => insertedValue(row[column as keyof typeof row]));
  await runCompiledRead(em, entity, shape, values, async (on, placeholders) => {
    const data = Object.fromEntries(columns.map((column, index) => [column, placeholders[index]]));
    return on.createQueryBuilder(entity).insert({ ...data, tenantId: tenantStampOf(on, entity.name) } as never) as never;
  });
  return { ...row, tenantId: tenantStampOf(em, entity.name) } as PlainRow<T>;
}
