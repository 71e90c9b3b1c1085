import { raw, sql, type EntityClass, type EntityDictionary, type EntityKey, type FilterQuery, type Primary } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import { runCompiledRead } from './compiled-reads.js';
import { columnsOf } from './plain-rows.js';
import DataLoader from 'dataloader';
import { decodeCursor, MAX_PAGE_SIZE, pageSize, toConnection, type Connection, type ConnectionArgs, type Keyed } from './connection.js';
import { BadUserInputError } from './errors.js';

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
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>): DataLoader<string, T | null, string> {
  return new DataLoader(async (ids) => {
    const unitOfWork = em.getUnitOfWork();
    const missing = ids.filter((id) => !unitOfWork.getById(entity, id as Primary<T>));
    const found = missing.length > 0 ? await em.find(entity, missing as FilterQuery<T>) : [];
    const byId = new Map(found.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? unitOfWork.getById(entity, id as Primary<T>) ?? null);
  });
}

/**
 * A row of another entity read with each child of a page (e.g. a task's assignee), so that the
 * field resolving it finds it on the child (`joinedRowOf`) or in its loader instead of costing a
 * statement of its own.
 */
export interface PageJoin<T> {
  /** The child's property holding the joined row's id (e.g. `assigneeId`). */
  via: EntityKey<T>;
  entity: EntityClass<{ id: string }>;
  /** Primed with each joined row as a plain object, or null for an id that matched no row. */
  loader: DataLoader<string, unknown, string>;
}

/** Column aliases of the joined row in the page statement's result. */
const JOINED = 'joined__';

/** Where a page child keeps the row read with it. */
const JOINED_ROW = Symbol('joined row');

/**
 * The row read with `child` through its page's `PageJoin` (null: the id matched no row), or
 * undefined when it was not read that way. A field resolver answering from it returns a value, not a
 * promise, so graphql-js completes a whole page without a promise per item.
 */
export function joinedRowOf<R>(child: object): R | null | undefined {
  return (child as { [JOINED_ROW]?: R | null })[JOINED_ROW];
}

/**
 * A DataLoader for pages of children (newest first) of many parents, e.g. the first 20 tasks of
 * every project in a list: one statement per distinct (limit, after). Each parent (read through
 * the ORM filter) gets a LATERAL subquery (a QueryBuilder of the children, ORM filter applied) that
 * walks the (tenant_id, parent, created_at desc, id desc) index and stops at `limit`; `join`
 * reads, e.g., each task's assignee in the same statement. The statement is compiled once per
 * shape (`compiled-reads.ts`). Rows come back as plain objects (no entity, no identity-map merge):
 * pages are only read.
 */
export function childPageLoader<T extends Keyed, P extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parentProperty: EntityKey<T>,
  parent: EntityClass<P>,
  join?: PageJoin<T>,
): DataLoader<ChildPageKey, T[], string> {
  const metadata = em.getMetadata();
  const meta = metadata.get(entity);
  const parentColumn = meta.properties[parentProperty].fieldNames[0];
  const joinMeta = join && metadata.get(join.entity);
  const childColumns = columnsOf(meta);
  const joinColumns = joinMeta ? columnsOf(joinMeta) : [];
  /** Each joined column with its alias in the page statement. */
  const joinedAliases = joinColumns.map((column) => [column, `${JOINED}${column}`] as const);
  const driver = em.getDriver();

  const parentName = metadata.get(parent).className;
  const shapeOf = (parentCount: number, limit: number, after: boolean) =>
    `page ${meta.className}.${parentProperty} of ${parentName}` +
    `${joinMeta ? ` with ${joinMeta.className} via ${join.via}` : ''}: ${parentCount} parents, ${limit} rows${after ? ', after' : ''}`;

  /** The page statement on `on`: `values` are the parents' ids, then the cursor's time and id when it has one. */
  async function pageQuery(on: EntityManager, values: readonly string[], parentCount: number, limit: number) {
    const page = on
      .createQueryBuilder(entity, 'c')
      .select(childColumns as never)
      .where({ [parentProperty]: sql.ref('p.id') } as never)
      .orderBy({ createdAt: 'desc', id: 'desc' } as never)
      .limit(limit);
    if (values.length > parentCount) {
      page.andWhere('(c.created_at, c.id) < (?::timestamptz, ?::uuid)', values.slice(parentCount));
    }
    await page.applyFilters();

    const qb = on
      .createQueryBuilder(parent, 'p')
      .select(sql`child.*`)
      .where({ id: { $in: values.slice(0, parentCount) } } as never)
      .innerJoinLateral(page, 'child', { [`child.${parentColumn}`]: sql.ref('p.id') });
    if (join && joinMeta) {
      const joined = on.createQueryBuilder(join.entity, 'u').select(joinColumns as never);
      await joined.applyFilters();
      const viaColumn = meta.properties[join.via].fieldNames[0];
      qb.leftJoin(joined, 'j', { 'j.id': sql.ref(`child.${viaColumn}`) });
      qb.addSelect(joinedAliases.map(([column, alias]) => sql.ref(`j.${column}`).as(alias)));
    }
    qb.orderBy({ [raw(`child.${parentColumn}`)]: 'asc', [raw('child.created_at')]: 'desc', [raw('child.id')]: 'desc' } as never);
    await qb.applyFilters();
    return qb as unknown as QueryBuilder<object>;
  }

  async function pageRows(parentIds: string[], limit: number, after: string | undefined): Promise<T[]> {
    const cursor = after ? decodeCursor(after) : undefined;
    const values = cursor ? [...parentIds, cursor.createdAt.toISOString(), cursor.id] : parentIds;
    const rows = await runCompiledRead(em, parent, shapeOf(parentIds.length, limit, Boolean(cursor)), values, (on, placeholders) =>
      pageQuery(on, placeholders, parentIds.length, limit),
    );

    return rows.map((row) => {
      const own: Record<string, unknown> = {};
      for (const column of childColumns) own[column] = row[column];
      const child = driver.mapResult(own as EntityDictionary<T>, meta) as T;
      if (join && joinMeta) {
        const id = child[join.via] as string | null | undefined;
        if (id) {
          const joinedRow: Record<string, unknown> = {};
          for (const [column, alias] of joinedAliases) joinedRow[column] = row[alias];
          const joined = joinedRow.id == null ? null : driver.mapResult(joinedRow, joinMeta);
          join.loader.prime(id, joined);
          (child as { [JOINED_ROW]?: unknown })[JOINED_ROW] = joined;
        }
      }
      return child;
    });
  }

  return new DataLoader(
    async (keys) => {
      const pages = new Map<string, T[]>();
      const batches = [...groupBy(keys, (key) => `${key.limit}|${key.after ?? ''}`).values()];
      await Promise.all(
        batches.map(async (batch) => {
          const [first] = batch;
          if (!first) return;
          const rows = await pageRows(
            batch.map((key) => key.parentId),
            first.limit,
            first.after,
          );
          const children = groupBy(rows, (child) => String(child[parentProperty]));
          for (const key of batch) pages.set(childPageKey(key), children.get(key.parentId) ?? []);
        }),
      );
      return keys.map((key) => pages.get(childPageKey(key)) ?? []);
    },
    { cacheKeyFn: childPageKey },
  );
}

/**
 * A DataLoader of how many children each parent has: one grouped count (a QueryBuilder with the
 * ORM filter applied, as `em.countBy` builds it), compiled once per number of parents.
 */
export function childCountLoader<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  parentProperty: EntityKey<T>,
): DataLoader<string, number, string> {
  const meta = em.getMetadata().get(entity);
  const parentColumn = meta.properties[parentProperty].fieldNames[0]!;
  return new DataLoader(async (parentIds) => {
    const shape = `count ${meta.className}.${parentProperty}: ${parentIds.length} parents`;
    const rows = await runCompiledRead(em, entity, shape, parentIds, async (on, ids) => {
      const qb = on
        .createQueryBuilder(entity)
        .select([parentProperty, raw('count(*) as cnt')] as never)
        .where({ [parentProperty]: { $in: [...ids] } } as never)
        .groupBy(parentProperty as never);
      await qb.applyFilters();
      return qb as unknown as QueryBuilder<object>;
    });
    const counts = new Map(rows.map((row) => [String(row[parentColumn]), Number(row.cnt)]));
    return parentIds.map((id) => counts.get(id) ?? 0);
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
  // Also started ahead of its resolver (`child-prefetch.ts`), before type-graphql validated the arguments.
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw BadUserInputError.field('first', `At most ${MAX_PAGE_SIZE}`);
  if (args.after) decodeCursor(args.after);
  const rows = await pages.load({ parentId, limit: first + 1, after: args.after });
  return toConnection(rows, first, () => counts.load(parentId), Boolean(args.after));
}
