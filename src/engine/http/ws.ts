import type { Server } from 'node:http';
import {
  execute,
  GraphQLError,
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
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { assertStorableText } from '../graphql/text-guard.js';
import { beginRequestTransaction, createRequestContext, finishRequestContext, type RequestContext } from '../context.js';
import type { AppServices } from '../services.js';
import { TrustedDocumentRequiredError } from '../graphql/errors.js';
import type { TrustedDocuments } from './trusted-documents.js';

type ErrorFormatter = (formatted: GraphQLFormattedError, raw: unknown) => GraphQLFormattedError;

/**
 * graphql-ws on the HTTP server's /graphql path. Credentials come in connectionParams; every
 * operation gets its own context from the same factory as HTTP, and a context that cannot be made
 * (bad token, tenant mismatch…) answers that operation with its typed error instead of killing
 * the socket. Errors are formatted exactly like over HTTP.
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
  const wsServer = new WebSocketServer({ server: httpServer, path });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatError(error.toJSON(), error));
  return useServer(
    {
      schema,
      execute: executeInRequestTransaction,
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const resolved = trusted.resolve(payload);
        if (resolved && !('document' in resolved)) return [resolved];
        let document;
        try {
          document = parse(resolved?.document ?? payload.query, limits.parseOptions);
        } catch (error) {
          return [error as GraphQLError];
        }
        const invalid = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
        if (invalid.length > 0) return invalid;
        try {
          assertStorableText(document, payload.variables ?? undefined);
        } catch (error) {
          return [error as GraphQLError];
        }
        try {
          const contextValue = await createRequestContext(services, {
            headers: { ...ctx.extra.request.headers, ...lowerCaseKeys(ctx.connectionParams) },
            clientIp: ctx.extra.request.socket.remoteAddress,
            transaction: false,
          });
          if (trusted.mode === 'allowed' && !resolved && !contextValue.user?.isPlatformAdmin) return [new TrustedDocumentRequiredError()];
          return { schema, document, contextValue, operationName: payload.operationName, variableValues: payload.variables };
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
  );
}

/** Queries and mutations over graphql-ws run in the same per-operation RLS transaction as over HTTP. */
async function executeInRequestTransaction(args: ExecutionArgs): Promise<ExecutionResult> {
  const context = args.contextValue as RequestContext;
  await beginRequestTransaction(context);
  let result: ExecutionResult;
  try {
    result = (await execute(args)) as ExecutionResult;
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
