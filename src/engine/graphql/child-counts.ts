import { sql, type EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../context.js';
import { declaredBy } from '../module.js';
import { selectedFields } from './selected-fields.js';

/**
 * A count of another entity's rows per row of a list, declared by the module owning the children
 * (the tasks module declares `Project.taskCount`). When a client selects that field on a list's
 * nodes, the list's own statement reads it, as one correlated count per row (a QueryBuilder of the
 * children, ORM filter applied, inside the same RLS transaction), instead of a second, grouped
 * statement after the list.
 */
export interface ChildCount {
  readonly parent: EntityClass<object>;
  /** The GraphQL field of the parent's type that answers it. */
  readonly field: string;
  readonly child: EntityClass<object>;
  /** The child's property holding its parent's id. */
  readonly via: string;
}

/** Where a row read with counts keeps them, by field. */
const COUNTS = Symbol('child counts');

/** The count read with `row` (`findRows` with `counts`), or undefined when its list did not read it. */
export function countOf(row: object, count: ChildCount): number | undefined {
  return (row as { [COUNTS]?: Record<string, number> })[COUNTS]?.[count.field];
}

/** Keeps `counts` (by field) on `row` for `countOf`. */
export function attachCounts(row: object, counts: Record<string, number>): void {
  (row as { [COUNTS]?: Record<string, number> })[COUNTS] = counts;
}

/** `(select count(*) from <children> where <via> = <parentAlias>.id and <filters>) as <column>`, on `on`. */
export async function childCountSelect(on: EntityManager, count: ChildCount, parentAlias: string, column: string) {
  const children = on
    .createQueryBuilder(count.child, 'counted')
    .count()
    .where({ [count.via]: sql.ref(`${parentAlias}.id`) } as never);
  await children.applyFilters();
  return children.as(column);
}

/**
 * The declared counts of `parent` that the client selects on the nodes of the connection `info`
 * resolves (`edges { node { … } }`): what its list statement should read.
 */
export function selectedChildCounts(ctx: RequestContext, parent: EntityClass<object>, info: GraphQLResolveInfo): ChildCount[] {
  const declared = declaredBy(ctx.services.modules, 'childCounts').filter((count) => count.parent === parent);
  if (declared.length === 0) return [];
  const selected = selectedFields(info, ['edges', 'node']);
  return declared.filter((count) => selected.has(count.field));
}
