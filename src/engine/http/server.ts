import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express, { type ErrorRequestHandler } from 'express';
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
import { answerHttpError, apolloHttpHandler, runSteps, type GraphqlHttpRequest, type HttpStep } from './graphql-http.js';

const GRAPHQL_PATH = '/graphql';
const TENANT_GRAPHQL_PATH = '/t/:slug/graphql';
/** The GraphQL paths exactly as clients send them; `<slug>` is the tenant of a `/t/<slug>/graphql` path. */
const DIRECT_GRAPHQL_PATH = /^(?:\/t\/([^/?#]+))?\/graphql\/?(?:\?|$)/i;
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
  // Its request handler is attached once the gateway is built (below).
  const httpServer = createServer();
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
  app.use((req, _res, next) => requestLogStore.run({ request_id: requestIdOf(req) }, next));
  app.use(healthRoutes(services, () => draining));
  for (const module of services.modules) if (module.routes) app.use(module.routes(services));
  const graphql = apolloHttpHandler(apollo, (req) =>
    createRequestContext(services, {
      headers: req.headers,
      // express strips a mount path from `url` (GET goes through its routes), not from `originalUrl`.
      pathSlug: pathSlugOf((req as { originalUrl?: string }).originalUrl ?? req.url),
      clientIp: clientAddress(req, config.trustProxyHops),
      requestId: requestLogStore.getStore()?.request_id,
    }).catch((error: unknown) => {
      throw isDatabaseUnavailable(error) ? new ServiceUnavailableError() : error;
    }),
  );
  const steps: HttpStep[] = [corsMiddleware(config.cors), express.json({ limit: BODY_LIMIT }), trustedDocumentsMiddleware(trusted)];
  const directPost = runSteps(steps, graphql, log);
  // A POST to a GraphQL path (nearly every request) skips express: the same steps, without its router and wrappers.
  httpServer.on('request', (req: GraphqlHttpRequest, res: ServerResponse) => {
    if (req.method === 'POST' && DIRECT_GRAPHQL_PATH.test(req.url ?? '')) {
      requestLogStore.run({ request_id: requestIdOf(req) }, () => directPost(req, res));
    } else app(req, res);
  });
  if (!production) app.use(ideRoutes(GRAPHQL_PATH, options.ide));
  app.use([GRAPHQL_PATH, TENANT_GRAPHQL_PATH], ...steps, (req, res, next) => {
    graphql(req, res).catch(next);
  });
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

/** Failures on express's routes answer like those of the direct path (`answerHttpError`). */
function httpErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, _next) => answerHttpError(log, error, res);
}

/** The `<slug>` of a `/t/<slug>/graphql` URL, decoded as express decodes a path parameter. */
function pathSlugOf(url: string | undefined): string | undefined {
  const slug = DIRECT_GRAPHQL_PATH.exec(url ?? '')?.[1];
  if (slug === undefined) return undefined;
  try {
    return decodeURIComponent(slug);
  } catch {
    return slug;
  }
}

function requestIdOf(req: IncomingMessage): string {
  return headerValue(req, 'x-request-id') ?? randomUUID();
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}
