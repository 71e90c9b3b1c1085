import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ASTVisitor, type GraphQLObjectType } from 'graphql';

/**
 * Field extension marking a mutation that checks or sets a password (argon2: tens of ms of CPU
 * each). Resolvers set it with type-graphql's `@Extensions(CREDENTIAL_MUTATION)`.
 */
export const CREDENTIAL_MUTATION = { credential: true } as const;

/** The credential mutations a selection set runs at its root, through fragments and aliases. */
function countCredentialFields(context: ValidationContext, type: GraphQLObjectType, selectionSet: SelectionSetNode): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (type.getFields()[selection.name.value]?.extensions?.credential === true) count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countCredentialFields(context, type, selection.selectionSet);
    } else {
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countCredentialFields(context, type, fragment.selectionSet);
    }
  }
  return count;
}

/**
 * One credential mutation per request: aliasing `login` fifteen times would otherwise buy fifteen
 * password hashes for one request (and one rate-limit check's worth of latency).
 */
export function singleCredentialMutation(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      const mutationType = context.getSchema().getMutationType();
      if (node.operation !== 'mutation' || !mutationType) return;
      if (countCredentialFields(context, mutationType, node.selectionSet) > 1) {
        context.reportError(
          new GraphQLError('At most one sign-in, sign-up, invite acceptance or password change per request', {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  };
}
