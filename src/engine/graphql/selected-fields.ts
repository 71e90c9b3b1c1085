import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** The fields selected at `path` below `selections` (through fragments, every alias). */
function fieldsAt(
  selections: SelectionSetNode | undefined,
  path: readonly string[],
  fragments: Record<string, FragmentDefinitionNode>,
  found: FieldNode[],
): void {
  for (const selection of selections?.selections ?? []) {
    if (selection.kind === Kind.INLINE_FRAGMENT) fieldsAt(selection.selectionSet, path, fragments, found);
    else if (selection.kind === Kind.FRAGMENT_SPREAD) fieldsAt(fragments[selection.name.value]?.selectionSet, path, fragments, found);
    else if (path.length === 0) found.push(selection);
    else if (selection.name.value === path[0]) fieldsAt(selection.selectionSet, path.slice(1), fragments, found);
  }
}

/** The field nodes the client selects at `path` below the field `info` resolves (every alias and fragment of it). */
export function selectedFieldNodes(info: GraphQLResolveInfo, path: readonly string[] = []): FieldNode[] {
  const found: FieldNode[] = [];
  for (const node of info.fieldNodes) fieldsAt(node.selectionSet, path, info.fragments, found);
  return found;
}

/** The names of the fields the client selects at `path` below the field `info` resolves (aliases do not matter). */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  return new Set(selectedFieldNodes(info, path).map((node) => node.name.value));
}

/** Whether the client selects nothing of the object `info` resolves but its `id` (and `__typename`). */
export function selectsOnlyId(info: GraphQLResolveInfo): boolean {
  for (const field of selectedFields(info)) if (field !== 'id' && field !== '__typename') return false;
  return true;
}
