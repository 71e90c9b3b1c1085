import type { ApolloServerPlugin } from '@apollo/server';
import { assertStorableText } from '../graphql/text-guard.js';
import { finishRequestContext, type RequestContext } from '../context.js';
import { requestLogStore } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * The end of every HTTP GraphQL request: commit its transaction when the operation had no errors
 * (roll back otherwise), then one log line and the metrics. Outside production the response says
 * how many SQL statements it took (`x-sql-statements`): tests assert on it (no N+1) and the
 * benchmark reports it.
 */
export function requestLifecyclePlugin(metrics: Metrics, exposeSqlCount: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async didResolveOperation({ operationName, document, request }) {
          const fields = requestLogStore.getStore();
          if (fields && operationName) fields.operation = operationName;
          assertStorableText(document, request.variables);
        },
        async willSendResponse({ contextValue, response, operationName, operation }) {
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
          // Per-user data: never stored by a browser or a proxy (what Apollo's cache-control plugin sent).
          response.http.headers.set('cache-control', 'no-store');
          const sqlStatements = requestLogStore.getStore()?.sql_statements ?? 0;
          if (exposeSqlCount) response.http.headers.set('x-sql-statements', String(sqlStatements));
          const seconds = (performance.now() - startedAt) / 1000;
          const codes = (body?.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
          for (const code of codes) metrics.errors.inc({ code });
          metrics.requestDuration.observe({ operation: operationName ?? 'anonymous', outcome: failed ? 'error' : 'ok' }, seconds);
          metrics.sqlStatements.observe(sqlStatements);
          contextValue.log.info({ duration_ms: Math.round(seconds * 1000), sql_statements: sqlStatements, errors: codes }, 'request');
        },
      };
    },
  };
}
