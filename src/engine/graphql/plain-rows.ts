import type { EntityClass, EntityDictionary, ObjectQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

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
 * Rows of `entity` matching `where`, read like any find (a QueryBuilder with the ORM filters
 * applied, inside the caller's RLS transaction) but returned as plain objects: no entity is built,
 * merged into the identity map or tracked for changes. For rows a request only reads.
 */
export async function findRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: ObjectQuery<T>,
  { orderBy, limit }: RowQuery<T> = {},
): Promise<PlainRow<T>[]> {
  const qb = em
    .createQueryBuilder(entity)
    .select('*')
    .where(where as never);
  if (orderBy) qb.orderBy(orderBy);
  if (limit !== undefined) qb.limit(limit);
  await qb.applyFilters();
  const rows = await qb.execute<EntityDictionary<T>[]>('all', false);
  const meta = em.getMetadata().get(entity);
  const driver = em.getDriver();
  return rows.map((row) => driver.mapResult(row, meta) as T);
}
