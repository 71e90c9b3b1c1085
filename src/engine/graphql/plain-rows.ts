import type { EntityClass, EntityDictionary, EntityMetadata, ObjectQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import { runCompiledRead } from './compiled-reads.js';

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
}

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

function rowsQuery<T extends object>(em: EntityManager, entity: EntityClass<T>, where: unknown, { orderBy, limit }: RowQuery<T>) {
  const qb = em
    .createQueryBuilder(entity)
    .select(columnsOf(em.getMetadata().get(entity)) as never)
    .where(where as never);
  if (orderBy) qb.orderBy(orderBy);
  if (limit !== undefined) qb.limit(limit);
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
    const qb = rowsQuery(em, entity, where, query);
    await qb.applyFilters();
    rows = await qb.execute<EntityDictionary<T>[]>('all', false);
  } else {
    const shape = `rows ${meta.className} (${meta.tableName}) ${JSON.stringify(template)} ${JSON.stringify(order)} ${query.limit ?? ''}`;
    rows = (await runCompiledRead(em, entity, shape, values, async (on, placeholders) => {
      let next = 0;
      const qb = rowsQuery(
        on,
        entity,
        mapStrings(where, () => placeholders[next++]),
        query,
      );
      await qb.applyFilters();
      return qb as unknown as QueryBuilder<object>;
    })) as EntityDictionary<T>[];
  }
  const driver = em.getDriver();
  return rows.map((row) => driver.mapResult(row, meta) as T);
}
