import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Logger } from '../observability/logger.js';
import type { RequestContext } from '../context.js';

/** A node:http request once the JSON body parser has run (`body` is undefined for a GET). */
export type GraphqlHttpRequest = IncomingMessage & { body?: unknown };

/** A connect-style step (cors, the body parser, trusted documents): what express would chain. */
export type HttpStep = (req: GraphqlHttpRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Answers `body` as JSON with `status` on a plain node:http response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/**
 * Apollo Server over node:http: the request's method, headers, query string and parsed body go to
 * `executeHTTPGraphQLRequest`, its answer goes back as is. The one GraphQL HTTP handler, for the
 * express routes (GET) and the direct POST path alike.
 */
export function apolloHttpHandler(
  apollo: ApolloServer<RequestContext>,
  context: (req: GraphqlHttpRequest) => Promise<RequestContext>,
): (req: GraphqlHttpRequest, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: queryStart === -1 ? '' : url.slice(queryStart),
        body: req.body,
      },
      context: () => context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/**
 * Body-parser and other failures before Apollo (bad JSON, too large) answer as GraphQL errors
 * with their HTTP status, never a 500 page.
 */
export function answerHttpError(log: Logger, error: { status?: number; type?: string }, res: ServerResponse): void {
  const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) log.error({ err: error }, 'unhandled HTTP error');
  const message = status === 413 ? 'Request body too large' : status === 500 ? 'Internal server error' : 'Malformed request';
  const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status, { errors: [{ message, extensions: { code, reason: error.type } }] });
}

/**
 * Runs `steps` in order, then `handler`, the way express runs a route's middleware: a step that
 * answers does not call `next`; one that fails passes its error (or throws it), answered by
 * `answerHttpError` instead of reaching the server's request event.
 * The POST path runs this without express's router and request/response wrappers, which cost
 * several percent of a small query's CPU.
 */
export function runSteps(
  steps: readonly HttpStep[],
  handler: (req: GraphqlHttpRequest, res: ServerResponse) => Promise<void>,
  log: Logger,
): (req: GraphqlHttpRequest, res: ServerResponse) => void {
  return (req, res) => {
    let index = 0;
    const fail = (error: unknown) => answerHttpError(log, error as { status?: number; type?: string }, res);
    const next = (error?: unknown): void => {
      if (error) return fail(error);
      const step = steps[index++];
      if (!step) return void handler(req, res).catch(fail);
      try {
        step(req, res, next);
      } catch (error) {
        fail(error);
      }
    };
    next();
  };
}
