import { createRequire } from 'node:module';
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { getOperationAST, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { compileQuery as CompileQuery, isCompiledQuery as IsCompiledQuery } from 'graphql-jit';

// Its ESM build imports graphql's .mjs files, a second copy of graphql next to the CommonJS one the
// schema is built with: load its CommonJS build (as page-cost.ts does for graphql-query-complexity).
const { compileQuery, isCompiledQuery } = createRequire(import.meta.url)('graphql-jit') as {
  compileQuery: typeof CompileQuery;
  isCompiledQuery: typeof IsCompiledQuery;
};

type Compiled = Parameters<typeof IsCompiledQuery>[0];

/**
 * Executes operations with graphql-jit through Apollo Server's executor interface (the one a
 * gateway plugs in): each parsed document (Apollo keeps one per query text) is compiled once per
 * operation name into a function, then run with each request's context and variables.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
  const executor: GatewayExecutor = async ({ document, request, operationName, context }) => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map<string, Compiled>()));
    const key = operationName ?? '';
    let query = byOperation.get(key);
    if (!query) {
      query = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true }) as Compiled;
      byOperation.set(key, query);
    }
    if (!isCompiledQuery(query)) return query as ExecutionResult;
    const variables = request.variables ?? {};
    const result = (await query.query(undefined, context, variables)) as ExecutionResult;
    if (!result.errors) return result;
    // Refused before any resolver ran (variables that do not coerce): graphql-js's own errors name
    // the variable's definition, which Apollo answers as BAD_USER_INPUT, as without graphql-jit.
    if (result.data === undefined) {
      const operation = getOperationAST(document, operationName);
      const coercion = operation && getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      if (coercion?.errors) return { errors: coercion.errors };
    }
    return { ...result, errors: result.errors.map(asGraphqlJsError) };
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return { executor };
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors have a read-only `message`; Apollo's plugins (graphql-armor's suggestion
 * masking) rewrite messages in place, so each becomes graphql-js's own error, with the same parts.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  (converted as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return converted;
}
