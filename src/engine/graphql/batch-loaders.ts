import type { EntityClass, EntityDictionary, EntityKey, FilterQuery, Primary } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { tenantIdOf } from '../tenancy/tenant-filter.js';
import { decodeCursor, pageSize, toConnection, type Connection, type ConnectionArgs, type Keyed } from './connection.js';

/** One nested page: whose children, how many rows, after which cursor. All three are the batch key. */
export interface ChildPageKey {
  parentId: string;
  /** Rows to fetch: the page size plus one, to learn whether there is a next page. */
  limit: number;
  after?: string;
}

const childPageKey = (key: ChildPageKey) => `${key.parentId}|${key.limit}|${key.after ?? ''}`;

/** Groups items by a string key, keeping their order. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * A DataLoader of entities by id (null for an id the ORM filter or RLS does not let through).
 * Entities this request already holds (the caller, a project just checked) cost no query.
 */
export function byIdLoader<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
): DataLoader<string, T | null, string> {
  return new DataLoader(async (ids) => {
    const unitOfWork = em.getUnitOfWork();
    const missing = ids.filter((id) => !unitOfWork.getById(entity, id as Primary<T>));
    const found = missing.length > 0 ? await em.find(entity, missing as FilterQuery<T>) : [];
    const byId = new Map(found.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? unitOfWork.getById(entity, id as Primary<T>) ?? null);
  });
}

/**
 * A DataLoader for pages of children (newest first) of many parents, e.g. the first 20 tasks of
 * every project in a list: one query per distinct (limit, after), a LATERAL subquery per parent
 * that walks the (tenant_id, parent, created_at desc, id desc) index and stops at `limit`. The SQL
 * is raw, which the ORM filter does not reach, so it names the tenant itself; RLS holds underneath.
 */
export function childPageLoader<T extends Keyed>(
  em: EntityManager,
  entity: EntityClass<T>,
  parentProperty: EntityKey<T>,
): DataLoader<ChildPageKey, T[], string> {
  const meta = em.getMetadata().get(entity);
  const parentColumn = meta.properties[parentProperty].fieldNames[0];
  return new DataLoader(
    async (keys) => {
      const pages = new Map<string, T[]>();
      const batches = [...groupBy(keys, (key) => `${key.limit}|${key.after ?? ''}`).values()];
      await Promise.all(
        batches.map(async (batch) => {
          const [first] = batch;
          if (!first) return;
          const { limit, after } = first;
          const cursor = after ? decodeCursor(after) : undefined;
          const rows = await em.execute<EntityDictionary<T>[]>(
            `select child.* from unnest(array[?]::uuid[]) as parent (id)
             cross join lateral (
               select * from ${meta.tableName} c
               where c.tenant_id = ? and c.${parentColumn} = parent.id
                 ${cursor ? 'and (c.created_at, c.id) < (?::timestamptz, ?::uuid)' : ''}
               order by c.created_at desc, c.id desc
               limit ?
             ) child
             order by child.${parentColumn}, child.created_at desc, child.id desc`,
            [
              batch.map((key) => key.parentId),
              tenantIdOf(em),
              ...(cursor ? [cursor.createdAt.toISOString(), cursor.id] : []),
              limit,
            ],
          );
          const children = groupBy(
            rows.map((row) => em.map(entity, row)),
            (child) => String(child[parentProperty]),
          );
          for (const key of batch) pages.set(childPageKey(key), children.get(key.parentId) ?? []);
        }),
      );
      return keys.map((key) => pages.get(childPageKey(key)) ?? []);
    },
    { cacheKeyFn: childPageKey },
  );
}

/** A DataLoader of how many children each parent has: one grouped count, through the ORM filter. */
export function childCountLoader<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parentProperty: EntityKey<T>,
): DataLoader<string, number, string> {
  return new DataLoader(async (parentIds) => {
    const where = { [parentProperty]: { $in: [...parentIds] } } as FilterQuery<T>;
    const counts = await em.countBy(entity, parentProperty, { where });
    return parentIds.map((id) => counts[id] ?? 0);
  });
}

/**
 * A nested connection (e.g. `Project.tasks(first, after)`) from a page loader and a count loader,
 * so that a list of parents costs two queries (one without `totalCount`), not two per parent.
 */
export async function childConnection<T extends Keyed>(
  pages: DataLoader<ChildPageKey, T[], string>,
  counts: DataLoader<string, number, string>,
  parentId: string,
  args: ConnectionArgs,
): Promise<Connection<T>> {
  const first = pageSize(args);
  if (args.after) decodeCursor(args.after);
  const rows = await pages.load({ parentId, limit: first + 1, after: args.after });
  return toConnection(rows, first, () => counts.load(parentId), Boolean(args.after));
}
