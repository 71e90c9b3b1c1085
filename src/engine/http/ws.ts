import type { Server } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { assertStorableText } from '../graphql/text-guard.js';
import { admitOperation } from '../module.js';
import { beginRequestTransaction, createRequestContext, finishRequestContext, type RequestContext } from '../context.js';
import { clientAddress } from './client-address.js';
import type { AppServices } from '../services.js';
import { BadUserInputError, TrustedDocumentRequiredError, UnauthenticatedError } from '../graphql/errors.js';
import type { AccessClaims } from '../identity/tokens.js';
import { SubscriptionSlots, untilExpiry } from './ws-limits.js';
import { sessionModeOf } from '../graphql/own-sessions.js';
import { assertAffordable } from '../graphql/page-cost.js';
import { fragmentsOf } from './request-lifecycle.js';
import type { TrustedDocuments } from './trusted-documents.js';

type ErrorFormatter = (formatted: GraphQLFormattedError, raw: unknown) => GraphQLFormattedError;

/** The same 1 MB as an HTTP body: `ws` would otherwise take 100 MiB messages. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/** What one socket proved in `connection_init`, and its live subscriptions. */
interface SocketState {
  claims?: AccessClaims;
  live: number;
  releases: Map<string, () => void>;
}

/**
 * graphql-ws on the HTTP server's /graphql path. The token is checked once in `connection_init`
 * (a bad one closes the socket with 4401); an anonymous socket gets only what anonymous HTTP gets
 * and no subscriptions. Every operation gets its own context from the same factory as HTTP, the
 * same parse/validation limits (introspection refused in production), and a context that cannot
 * be made (tenant mismatch…) answers that operation with its typed error instead of killing the
 * socket. Subscriptions are capped per socket and per user, and end with UNAUTHENTICATED when the
 * token expires. Errors are formatted exactly like over HTTP.
 */
export function startGraphqlWs(
  httpServer: Server,
  path: string,
  schema: GraphQLSchema,
  services: AppServices,
  formatError: ErrorFormatter,
  limits: { validationRules: readonly ValidationRule[]; parseOptions: ParseOptions },
  trusted: TrustedDocuments,
): { dispose(): void | Promise<void> } {
  const wsServer = new WebSocketServer({ server: httpServer, path, maxPayload: MAX_MESSAGE_BYTES });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  const production = services.config.env === 'production';
  const rules = [...specifiedRules, ...limits.validationRules, ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
  const slots = new SubscriptionSlots(services.config.ws.maxSubscriptionsPerSocket, services.config.ws.maxSubscriptionsPerUser);
  const sockets = new WeakMap<Context, SocketState>();
  const stateOf = (ctx: Context): SocketState => {
    let state = sockets.get(ctx);
    if (!state) sockets.set(ctx, (state = { live: 0, releases: new Map() }));
    return state;
  };
  return useServer(
    {
      schema,
      execute: executeInRequestTransaction,
      onConnect: (ctx) => {
        const header = lowerCaseKeys(ctx.connectionParams).authorization;
        if (header === undefined) return true;
        const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
        try {
          if (!match) throw new UnauthenticatedError();
          stateOf(ctx).claims = services.tokens.verify(match[1]!);
          return true;
        } catch {
          ctx.extra.socket.close(4401, 'Invalid or expired token');
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const resolved = trusted.resolve(payload);
        if (resolved && !('document' in resolved)) return [resolved];
        let document;
        try {
          document = parse(resolved?.document ?? payload.query, limits.parseOptions);
        } catch (error) {
          return [tagged(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0) return invalid.map((error) => tagged(error, 'GRAPHQL_VALIDATION_FAILED'));
        try {
          assertStorableText(document, payload.variables ?? undefined);
          assertAffordable(schema, document, payload.variables ?? undefined, payload.operationName, services.config.queryMaxNodes);
        } catch (error) {
          return [error as GraphQLError];
        }
        const state = stateOf(ctx);
        const subscription = getOperationAST(document, payload.operationName)?.operation === 'subscription';
        if (subscription && !state.claims) return [new UnauthenticatedError()];
        try {
          const contextValue = await createRequestContext(services, {
            headers: { ...ctx.extra.request.headers, ...lowerCaseKeys(ctx.connectionParams) },
            clientIp: clientAddress(ctx.extra.request, services.config.trustProxyHops),
            transaction: false,
          });
          if (trusted.mode === 'allowed' && !resolved && !contextValue.user?.isPlatformAdmin) return [new TrustedDocumentRequiredError()];
          const operation = getOperationAST(document, payload.operationName ?? undefined);
          if (operation) await admitOperation(contextValue, operation.operation);
          if (subscription) state.releases.set(id, slots.take(state, state.claims!.sub));
          return { schema, document, contextValue, operationName: payload.operationName, variableValues: payload.variables };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
      onOperation: (ctx, id, _payload, _args, result) => {
        const state = stateOf(ctx);
        const release = state.releases.get(id);
        if (!release) return undefined;
        const releaseOnce = () => {
          state.releases.delete(id);
          release();
        };
        if (!isAsyncIterable(result)) {
          releaseOnce();
          return undefined;
        }
        const exp = state.claims?.exp;
        return untilExpiry(result, exp === undefined ? undefined : exp * 1000, releaseOnce);
      },
      onClose: (ctx) => {
        const state = sockets.get(ctx);
        for (const release of state?.releases.values() ?? []) release();
        state?.releases.clear();
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
    },
    wsServer,
  );
}

/** The code Apollo gives the same failure over HTTP (the error formatter maps both to BAD_USER_INPUT). */
function tagged(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Queries and mutations over graphql-ws run in the same per-operation RLS transaction as over HTTP. */
async function executeInRequestTransaction(args: ExecutionArgs): Promise<ExecutionResult> {
  const context = args.contextValue as RequestContext;
  const operation = getOperationAST(args.document, args.operationName);
  const mode = operation ? sessionModeOf(args.schema, operation, () => fragmentsOf(args.document)) : 'request';
  if (mode === 'mixed') {
    return {
      errors: [
        BadUserInputError.request(
          'operation',
          'Sign-in, sign-up, invite acceptance and platform fields must be sent in an operation of their own',
        ),
      ],
    };
  }
  if (mode === 'request') {
    try {
      await beginRequestTransaction(context);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
  }
  let result: ExecutionResult;
  try {
    result = await execute(args);
  } catch (error) {
    await finishRequestContext(context, false);
    throw error;
  }
  await finishRequestContext(context, !result.errors?.length);
  return result;
}

function lowerCaseKeys(params: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params ?? {})
      .filter(([, value]) => typeof value === 'string')
      .map(([key, value]) => [key.toLowerCase(), value as string]),
  );
}
