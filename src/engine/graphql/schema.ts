import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { applyPermissions } from '../authorization/shield.js';
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
  });
}

/** The served schema: the declared one behind graphql-shield. */
export async function buildServedSchema(modules: readonly TesseraModule[], pubSub: AppPubSub): Promise<GraphQLSchema> {
  return applyPermissions(await buildTypeSchema(modules, pubSub), modules);
}
