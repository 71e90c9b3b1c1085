import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, type Connection } from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import { ApiKey } from './api-key.entity.js';
import { CreateApiKeyInput } from './api-key.inputs.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key.service.js';
import { ApiKeyConnection, CreateApiKeyPayload } from './api-key.types.js';

@Resolver()
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, { nullable: true, description: "Owners: the tenant's API keys, newest first (never their secrets)." })
  apiKeys(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext): Promise<Connection<ApiKey>> {
    return listApiKeys(ctx, args);
  }

  @Mutation(() => CreateApiKeyPayload, {
    nullable: true,
    description: 'Owners on PRO and above: a key for X-Api-Key; the secret is shown once.',
  })
  createApiKey(
    @Arg('input', () => CreateApiKeyInput, { description: 'Label, role (not OWNER) and optional expiry of the new key.' })
    input: CreateApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateApiKeyPayload> {
    return createApiKey(ctx, input);
  }

  @Mutation(() => ApiKey, { nullable: true, description: 'Owners: stops a key working in every gateway process within a second.' })
  revokeApiKey(
    @Arg('id', () => ID, { description: 'The key to revoke; NOT_FOUND when the tenant has no such key.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ApiKey> {
    return revokeApiKey(ctx, id);
  }
}
