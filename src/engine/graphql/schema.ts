import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { applyPermissions } from '../authorization/shield.js';
import { callFieldResolversDirectly } from './direct-field-resolvers.js';
import type { TesseraModule } from '../module.js';
import { createAppPubSub, type AppPubSub } from '../pubsub/pubsub.js';

/** The schema as the modules declare it, without permissions: what `schema/schema.graphql` holds. */
export function buildTypeSchema(
  modules: readonly TesseraModule[],
  pubSub: AppPubSub = createAppPubSub(undefined).pubSub,
): Promise<GraphQLSchema> {
  const resolvers = modules.flatMap((module) => module.resolvers ?? []);
  if (resolvers.length === 0) throw new Error('No module declares a resolver');
  return buildSchema({
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    resolvers: resolvers as NonEmptyArray<Function>,
    pubSub,
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  }).then((schema) => {
    callFieldResolversDirectly(schema, resolvers);
    return describeRootTypes(schema);
  });
}

/** type-graphql has no option for the root types' descriptions; the schema documents itself, so set them here. */
function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query)
    query.description = 'Reads. Tenant data is that of the tenant the bearer token (or X-Api-Key) names; each field says who may ask.';
  if (mutation)
    mutation.description = 'Changes. Failures carry extensions.code (FORBIDDEN, BAD_USER_INPUT with field errors, NOT_FOUND, CONFLICT, …).';
  if (subscription)
    subscription.description = 'Live events over the graphql-ws websocket protocol, scoped to the tenant of the connection.';
  return schema;
}

/** The served schema: the declared one behind graphql-shield. */
export async function buildServedSchema(modules: readonly TesseraModule[], pubSub: AppPubSub): Promise<GraphQLSchema> {
  return applyPermissions(await buildTypeSchema(modules, pubSub), modules);
}
