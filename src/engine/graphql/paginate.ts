import type { EntityClass, FindOptions, ObjectQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChildCount } from './child-counts.js';
import { findRows } from './plain-rows.js';
import { afterCursor, NEWEST_FIRST, pageSize, toConnection, type Connection, type ConnectionArgs, type Keyed } from './connection.js';

/** How a list is read: its condition, what to populate, and when `totalCount` is counted. */
export interface PageQuery<T extends object> {
  /** The list's own condition (the tenant filter applies on top, as for any find). */
  where?: ObjectQuery<T>;
  /** Relations loaded with each row. */
  populate?: FindOptions<T, string>['populate'];
  /**
   * `lazy` (default): counted only if the client selects `totalCount`. `now`: counted together with
   * the page, for reads that must finish inside a transaction that closes when they return.
   */
  count?: 'lazy' | 'now';
  /** Rows as plain objects (`findRows`), for lists only read; cannot be combined with `populate`. */
  plain?: boolean;
  /** With `plain`: other modules' counts read with each row (`selectedChildCounts`). */
  counts?: readonly ChildCount[];
}

/**
 * One page of `entity` in (createdAt desc, id desc) order after `args.after`, as a Relay
 * connection: every list of the API reads its pages through here.
 */
export async function paginate<T extends Keyed & object>(
  em: EntityManager,
  entity: EntityClass<T>,
  args: ConnectionArgs,
  query: PageQuery<T> = {},
): Promise<Connection<T>> {
  const first = pageSize(args);
  const where = query.where ?? {};
  const pageWhere = { ...where, ...afterCursor(args.after) } as ObjectQuery<T>;
  const find = (): Promise<readonly T[]> =>
    query.plain && !query.populate
      ? findRows(em, entity, pageWhere, { orderBy: NEWEST_FIRST as QueryOrderMap<T>, limit: first + 1, counts: query.counts })
      : em.find(entity, pageWhere, {
          orderBy: NEWEST_FIRST,
          limit: first + 1,
          ...(query.populate ? { populate: query.populate } : {}),
        } as FindOptions<T>);
  if (query.count === 'now') {
    const [rows, totalCount] = await Promise.all([find(), em.count(entity, where)]);
    return toConnection(rows as T[], first, totalCount, Boolean(args.after));
  }
  const rows = await find();
  return toConnection(rows as T[], first, () => em.count(entity, where), Boolean(args.after));
}
