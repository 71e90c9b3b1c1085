import express, { type Router } from 'express';
import { getDistDirectory, renderAltair } from 'altair-static';

export interface IdeOptions {
  /** Request headers pre-filled in the IDE, computed per page load (zero-setup: the demo owner's token). */
  readonly headers?: () => Record<string, string>;
}

const IDE_ASSETS_PATH = '/ide/';
const FIRST_QUERY = '{\n  me {\n    email\n  }\n  currentTenant {\n    slug\n    plan\n  }\n}\n';

/**
 * A GraphQL IDE (Altair) for development, served from the `altair-static` package's own files: it
 * works offline (Apollo's Sandbox loads from a CDN). A browser opening the GraphQL URL gets the
 * IDE; API clients (JSON `Accept`, or a `query` parameter) go on to the gateway. Subscriptions run
 * over graphql-ws on the same path. Never mounted in production.
 */
export function ideRoutes(graphqlPath: string, options: IdeOptions = {}): Router {
  const router = express.Router();
  router.use(IDE_ASSETS_PATH, express.static(getDistDirectory(), { index: false, fallthrough: false }));
  // `use`, not `get`: a Router with a GET route would answer OPTIONS itself, before CORS.
  router.use((req, res, next) => {
    const wantsPage =
      req.method === 'GET' &&
      req.path === graphqlPath &&
      req.query.query === undefined &&
      req.query.documentId === undefined &&
      req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    if (!wantsPage) return next();
    // The page's script embeds these URLs in template literals: only a plain host name goes in.
    const host = /^[a-z0-9.:[\]-]+$/i.test(req.get('host') ?? '') ? req.get('host') : 'localhost';
    const origin = `${req.protocol}://${host}`;
    res.type('html').send(
      renderAltair({
        baseURL: IDE_ASSETS_PATH,
        endpointURL: `${origin}${graphqlPath}`,
        subscriptionsEndpoint: `${origin.replace(/^http/, 'ws')}${graphqlPath}`,
        initialSubscriptionRequestHandlerId: 'graphql-ws',
        initialQuery: FIRST_QUERY,
        initialHeaders: options.headers?.() ?? {},
        initialName: 'Tessera',
        disableAccount: true,
      }),
    );
  });
  return router;
}
