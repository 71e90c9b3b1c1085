import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { isDatabaseUnavailable } from '../db/connection-errors.js';
import { ServiceUnavailableError } from '../graphql/errors.js';
import { createErrorFormatter } from '../graphql/format-error.js';
import { createRequestContext, type RequestContext } from '../context.js';
import { requestLogStore, type Logger } from '../observability/logger.js';
import { gracefulClose } from './graceful-close.js';
import { healthRoutes } from './health.routes.js';
import { buildServedSchema } from '../graphql/schema.js';
import { jitGateway } from '../graphql/jit-executor.js';
import type { AppServices } from '../services.js';
import { queryLimits } from '../graphql/query-limits.js';
import { requestLifecyclePlugin } from './request-lifecycle.js';
import { graphqlResponseStatusPlugin } from './graphql-response-status.js';
import { startGraphqlWs } from './ws.js';
import { clientAddress } from './client-address.js';
import { corsMiddleware } from './cors.js';
import { ideRoutes, type IdeOptions } from './ide.js';
import { TrustedDocuments, trustedDocumentsMiddleware, trustedDocumentsPlugin } from './trusted-documents.js';

const GRAPHQL_PATH = '/graphql';
const TENANT_GRAPHQL_PATH = '/t/:slug/graphql';
const BODY_LIMIT = '1mb';

export interface RunningServer {
  readonly url: string;
  readonly httpServer: Server;
  stop(): Promise<void>;
}

/** The gateway: GraphQL over HTTP and graphql-ws on one port, health routes, graceful stop. */
export async function startServer(
  services: AppServices,
  port: number,
  host: string,
  options: { ide?: IdeOptions } = {},
): Promise<RunningServer> {
  const { config, log } = services;
  const production = config.env === 'production';
  const schema = await buildServedSchema(services.modules, services.pubSub);
  const app = express();
  const httpServer = createServer(app);
  const closer = gracefulClose(httpServer);
  closer.track();
  let draining = false;

  const formatError = createErrorFormatter(log, production);
  const limits = queryLimits(production);
  const trusted = TrustedDocuments.load(config.trustedDocuments.mode, config.trustedDocuments.manifests);
  const wsCleanup = startGraphqlWs(httpServer, GRAPHQL_PATH, schema, services, formatError, limits, trusted);

  const apollo = new ApolloServer<RequestContext>({
    gateway: jitGateway(schema),
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    allowBatchedHttpRequests: false,
    // Persisted documents are the trusted-documents manifest (trusted-documents.ts), not a cache clients fill.
    persistedQueries: false,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [
      ...limits.plugins,
      // We set no cache hints (responses are per user: request-lifecycle sends `no-store`), and the
      // implicit cache-control plugin would wrap every field resolver of every request to collect them.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
      requestLifecyclePlugin(services.metrics, !production, config.queryMaxNodes),
      graphqlResponseStatusPlugin(),
      trustedDocumentsPlugin(trusted),
      // Apollo's landing page loads from a CDN (blank offline): development serves Altair instead (ide.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  // Responses are per caller and never cached (`no-store`): hashing each body for an ETag is wasted work.
  app.set('etag', false);
  app.use((req, _res, next) => {
    const requestId = headerValue(req, 'x-request-id') ?? randomUUID();
    requestLogStore.run({ request_id: requestId }, next);
  });
  app.use(healthRoutes(services, () => draining));
  for (const module of services.modules) if (module.routes) app.use(module.routes(services));
  const graphql = expressMiddleware(apollo, {
    context: ({ req }) =>
      createRequestContext(services, {
        headers: req.headers,
        pathSlug: typeof req.params.slug === 'string' ? req.params.slug : undefined,
        clientIp: clientAddress(req, config.trustProxyHops),
        requestId: requestLogStore.getStore()?.request_id,
      }).catch((error: unknown) => {
        throw isDatabaseUnavailable(error) ? new ServiceUnavailableError() : error;
      }),
  });
  if (!production) app.use(ideRoutes(GRAPHQL_PATH, options.ide));
  app.use(
    [GRAPHQL_PATH, TENANT_GRAPHQL_PATH],
    corsMiddleware(config.cors),
    express.json({ limit: BODY_LIMIT }),
    trustedDocumentsMiddleware(trusted),
    graphql,
  );
  app.use(httpErrorHandler(log));

  await new Promise<void>((resolve) => httpServer.listen(port, host, resolve));
  const address = httpServer.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}${GRAPHQL_PATH}`;
  log.info({ url }, 'gateway listening');

  return {
    url,
    httpServer,
    async stop() {
      draining = true;
      await closer.close();
      await apollo.stop();
      httpServer.closeAllConnections();
    },
  };
}

/** Body-parser failures (bad JSON, too large) answer as GraphQL errors with their HTTP status, never a 500 page. */
function httpErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, _next) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error }, 'unhandled HTTP error');
    const message = status === 413 ? 'Request body too large' : status === 500 ? 'Internal server error' : 'Malformed request';
    const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';
    res.status(status).json({ errors: [{ message, extensions: { code, reason: error.type } }] });
  };
}

function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}
