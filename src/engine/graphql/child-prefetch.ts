import type { EntityClass } from '@mikro-orm/core';
import { getArgumentValues, getNamedType, isObjectType, type GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../context.js';
import { declaredBy } from '../module.js';
import { selectedFieldNodes } from './selected-fields.js';
import { isUuid } from './uuid.js';

/**
 * A child read started with its parent's, declared by the module owning the children (the tasks
 * module declares `Project.tasks`). A resolver that reads one parent by the client's id
 * (`project(id)`) starts, in the same tick as its own read, the declared reads of the fields the
 * client selects below it: the child rows are on their way with the parent's instead of one round
 * trip after it. A read starts through the loader the field's resolver uses, which keeps it for
 * the request, inside the request's RLS transaction with the ORM filter applied; when the parent
 * turns out missing (or another tenant's), its children's rows are read and never answered.
 */
export interface ChildPrefetch {
  readonly parent: EntityClass<object>;
  /** The GraphQL field of the parent's type that the read answers. */
  readonly field: string;
  /** Starts the field's read from its parent's id and its arguments as the client gave them. */
  readonly start: (ctx: RequestContext, parentId: string, args: Record<string, unknown>) => Promise<unknown>;
}

/**
 * Starts the declared reads of `parent`'s fields that the client selects below the field `info`
 * resolves, for the parent `parentId`. Never throws and never fails the request: an id that is no
 * UUID starts nothing (a statement refused by PostgreSQL would abort the transaction), and
 * arguments the field refuses are left for its resolver to report.
 */
export function prefetchSelectedChildren(
  ctx: RequestContext,
  parent: EntityClass<object>,
  parentId: string,
  info: GraphQLResolveInfo,
): void {
  const declared = declaredBy(ctx.services.modules, 'childPrefetches').filter((prefetch) => prefetch.parent === parent);
  const parentType = getNamedType(info.returnType);
  if (declared.length === 0 || !isUuid(parentId) || !isObjectType(parentType)) return;
  for (const node of selectedFieldNodes(info)) {
    const prefetch = declared.find((candidate) => candidate.field === node.name.value);
    const field = prefetch && parentType.getFields()[prefetch.field];
    if (!prefetch || !field) continue;
    try {
      prefetch.start(ctx, parentId, getArgumentValues(field, node, info.variableValues)).catch(() => undefined);
    } catch {
      // The field's resolver refuses the same arguments, with the client's error.
    }
  }
}
