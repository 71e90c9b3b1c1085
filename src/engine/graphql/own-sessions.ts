import { Kind, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * For `@Extensions(OWN_SESSIONS)` on a root field whose resolver opens its own transactions
 * (sign-in, sign-up, invite acceptance, provisioning reads, the platform read). An operation
 * asking for such a field runs without a held request transaction, so a request never holds one
 * pooled connection while waiting for a second (a full pool would deadlock).
 */
export const OWN_SESSIONS = { ownSessions: true } as const;

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(selection.selectionSet, fragments, seen);
    const fragment = fragments[selection.name.value];
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return rootFieldNames(fragment.selectionSet, fragments, seen);
  });
}

type SessionMode = 'own' | 'request' | 'mixed';

/** Per parsed operation (Apollo reuses the parsed document of a query text; the served schema never changes). */
const knownModes = new WeakMap<OperationDefinitionNode, SessionMode>();

/**
 * How an operation uses the request transaction: `own` when every root field manages its own
 * sessions, `request` when none does, `mixed` otherwise (refused: the request's fields would run
 * without their transaction).
 */
export function sessionModeOf(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: () => Record<string, FragmentDefinitionNode>,
): SessionMode {
  let mode = knownModes.get(operation);
  if (!mode) {
    mode = computeSessionMode(schema, operation, fragments());
    knownModes.set(operation, mode);
  }
  return mode;
}

function computeSessionMode(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): SessionMode {
  const root = schema.getRootType(operation.operation);
  if (!root) return 'request';
  const fields = root.getFields();
  const names = rootFieldNames(operation.selectionSet, fragments).filter((name) => name !== '__typename');
  const own = names.filter((name) => fields[name]?.extensions?.ownSessions === true).length;
  if (own === 0) return 'request';
  return own === names.length ? 'own' : 'mixed';
}
