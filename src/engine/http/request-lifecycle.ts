import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { assertStorableText } from '../graphql/text-guard.js';
import { finishRequestContext, prepareRequestTransaction, type RequestContext } from '../context.js';
import { BadUserInputError } from '../graphql/errors.js';
import { sessionModeOf } from '../graphql/own-sessions.js';
import { assertAffordable } from '../graphql/page-cost.js';
import { admitOperation } from '../module.js';
import { requestLogStore } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { operationLabel, operationLogField } from '../observability/operation-label.js';

/**
 * The end of every HTTP GraphQL request: commit its transaction when the operation had no errors
 * (roll back otherwise), then one log line and the metrics. Outside production the response says
 * how many SQL statements it took (`x-sql-statements`): tests assert on it (no N+1) and the
 * benchmark reports it.
 */
export function requestLifecyclePlugin(
  metrics: Metrics,
  exposeSqlCount: boolean,
  queryMaxNodes: number,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      // Apollo runs every plugin's didResolveOperation at once: another one may refuse the operation
      // while this one is still preparing the transaction, and the response must then wait for it
      // (or the transaction it opens after the rollback holds its connection forever).
      let preparing: Promise<void> | undefined;
      return {
        didResolveOperation(requestContext) {
          preparing = prepareOperation(requestContext, queryMaxNodes);
          return preparing;
        },
        async willSendResponse({ contextValue, response, operationName, operation }) {
          await preparing?.catch(() => undefined);
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const failed = !body || (body.errors?.length ?? 0) > 0;
          try {
            await finishRequestContext(contextValue, !failed, operation?.operation === 'query');
          } catch (error) {
            contextValue.log.error({ err: error }, 'commit failed');
            if (body) {
              body.data = null;
              body.errors = [{ message: 'The change could not be saved', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
            }
          }
          if (body?.errors?.some((error) => error.extensions?.retryable === true)) {
            // PostgreSQL was unreachable: nothing was written, the client may send it again.
            response.http.status = 503;
            response.http.headers.set('retry-after', '1');
          }
          // Per-user data: never stored by a browser or a proxy (what Apollo's cache-control plugin sent).
          response.http.headers.set('cache-control', 'no-store');
          for (const [name, value] of contextValue.responseHeaders) response.http.headers.set(name, value);
          const sqlStatements = requestLogStore.getStore()?.sql_statements ?? 0;
          if (exposeSqlCount) response.http.headers.set('x-sql-statements', String(sqlStatements));
          const seconds = (performance.now() - startedAt) / 1000;
          const codes = (body?.errors ?? []).map((error) =>
            typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNKNOWN',
          );
          for (const code of codes) metrics.errors.inc({ code });
          metrics.requestDuration.observe(
            {
              operation: requestLogStore.getStore()?.trusted_document ?? operationLabel(operationName, metrics.operationLabels),
              outcome: failed ? 'error' : 'ok',
            },
            seconds,
          );
          metrics.sqlStatements.observe(sqlStatements);
          contextValue.log.info({ duration_ms: Math.round(seconds * 1000), sql_statements: sqlStatements, errors: codes }, 'request');
        },
      };
    },
  };
}

/** The fragment definitions of a document, by name. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
}

/** Before execution: the operation's checks, the modules' operation hooks, then the request transaction. */
async function prepareOperation(
  { operationName, document, request, schema, operation, contextValue }: GraphQLRequestContextDidResolveOperation<RequestContext>,
  queryMaxNodes: number,
): Promise<void> {
  const fields = requestLogStore.getStore();
  // A trusted document's manifest name when the request used one; else the client's name, bounded.
  if (fields) fields.operation = fields.trusted_document ?? (operationName ? operationLogField(operationName) : undefined);
  assertStorableText(document, request.variables);
  assertAffordable(schema, document, request.variables, operationName, queryMaxNodes);
  const mode = operation ? sessionModeOf(schema, operation, () => fragmentsOf(document)) : 'request';
  if (mode === 'mixed')
    throw BadUserInputError.request(
      'operation',
      'Sign-in, sign-up, invite acceptance and platform fields must be sent in an operation of their own',
    );
  if (operation) await admitOperation(contextValue, operation.operation);
  await prepareRequestTransaction(contextValue, mode === 'own', operation?.operation === 'query');
}
