import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { createRequire } from 'node:module';
import type { ComplexityEstimator, getComplexity as GetComplexity } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection.js';
import { BadUserInputError } from './errors.js';

// Its ESM build imports graphql's .mjs files, a second copy of graphql next to the CommonJS one the
// schema is built with ("Cannot use GraphQLObjectType from another module or realm"): load its CommonJS build.
const { getComplexity } = createRequire(import.meta.url)('graphql-query-complexity') as { getComplexity: typeof GetComplexity };

/** How often one paginated field (`Type.field`) may be selected in a document, aliases included. */
export const MAX_PAGINATED_FIELD_SELECTIONS = 5;

/** Refused before execution: HTTP 400, BAD_USER_INPUT with `reason: QUERY_TOO_COMPLEX`. */
export class QueryTooComplexError extends BadUserInputError {
  constructor(message: string, details: Record<string, unknown>) {
    super([{ field: 'query', message }], { status: 400 });
    Object.assign(this.extensions, { reason: 'QUERY_TOO_COMPLEX', ...details });
  }
}

const isPaginated = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => arg.name === 'first' || arg.name === 'last');

/**
 * Every field costs 1, and a paginated field (`first`/`last`) costs its page size times what each
 * item asks for: the estimate is the number of values the response may hold, which graphql-armor's
 * field count ignores. A page size the document leaves to a missing variable counts as the largest.
 */
const pageSizeEstimator: ComplexityEstimator = ({ field, args, node, childComplexity }) => {
  if (!isPaginated(field)) return 1 + childComplexity;
  const given = [args.first, args.last].find((value): value is number => typeof value === 'number');
  const named = node.arguments?.some((arg) => arg.name.value === 'first' || arg.name.value === 'last');
  const pageSize = Math.max(0, Math.min(given ?? (named ? MAX_PAGE_SIZE : DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE));
  return 1 + Math.max(pageSize, 1) * childComplexity;
};

/** Costs of a document known to pass, per `costKey`: at most this many per document, keys this long. */
const COSTS_PER_DOCUMENT = 64;
const COST_KEY_MAX_LENGTH = 512;
const knownCosts = new WeakMap<DocumentNode, Map<string, number>>();

/**
 * What the cost of one operation of a document depends on: the operation and the variables that
 * are numbers (only a number sets a page size; any other value counts as its kind).
 */
function costKey(variables: Record<string, unknown> | undefined, operationName: string | undefined | null): string {
  let key = operationName ?? '';
  for (const [name, value] of Object.entries(variables ?? {})) {
    key += `|${name}=${typeof value === 'number' ? value : value == null ? '' : typeof value}`;
  }
  return key;
}

/**
 * Refuses, before anything runs, an operation whose page sizes multiply past `maxNodes`, or that
 * selects one paginated field more than `MAX_PAGINATED_FIELD_SELECTIONS` times (aliases). A cost
 * that passed is remembered for the parsed document (Apollo reuses it for the same query text), so
 * a client repeating an operation is not walked again; a refusal, or an estimate that could not be
 * made, is never remembered.
 */
export function assertAffordable(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
  maxNodes: number,
): void {
  const key = costKey(variables, operationName);
  const known = knownCosts.get(document);
  const cost = known?.get(key);
  if (cost !== undefined && cost <= maxNodes) return;
  const estimated = estimateCost(schema, document, variables, operationName);
  if (estimated === undefined) return; // bad variables or an unknown operation: execution reports them with their own codes
  if (estimated > maxNodes) {
    throw new QueryTooComplexError(`The query may return ${estimated} values; at most ${maxNodes}`, { cost: estimated, limit: maxNodes });
  }
  const costs = known ?? new Map<string, number>();
  if (costs.size < COSTS_PER_DOCUMENT && key.length <= COST_KEY_MAX_LENGTH) costs.set(key, estimated);
  if (!known) knownCosts.set(document, costs);
}

/** The operation's estimated number of values, after the per-field selection cap; undefined when it cannot be estimated. */
function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): number | undefined {
  const selections = new Map<string, number>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!field || !parent || !isPaginated(field)) return;
        const key = `${parent.name}.${field.name}`;
        selections.set(key, (selections.get(key) ?? 0) + 1);
      },
    }),
  );
  for (const [field, count] of selections) {
    if (count > MAX_PAGINATED_FIELD_SELECTIONS) {
      throw new QueryTooComplexError(`${field} is selected ${count} times; at most ${MAX_PAGINATED_FIELD_SELECTIONS}`, { field, count });
    }
  }
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [pageSizeEstimator],
    });
  } catch {
    return undefined;
  }
}
