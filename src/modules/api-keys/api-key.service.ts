import {
  afterCursor,
  NEWEST_FIRST,
  pageSize,
  toConnection,
  type Connection,
  type ConnectionArgs,
} from '../../engine/graphql/connection.js';
import type { RequestContext } from '../../engine/context.js';
import { BadUserInputError, NotFoundError } from '../../engine/graphql/errors.js';
import { isUuid } from '../../engine/graphql/uuid.js';
import { actorOf } from '../../engine/identity/actor.js';
import { Role } from '../../engine/identity/roles.js';
import { recordAudit } from '../audit/audit.service.js';
import { apiKeyDirectory } from './api-key-directory.js';
import { generateApiKeySecret } from './api-key-secret.js';
import { ApiKey } from './api-key.entity.js';
import type { CreateApiKeyInput } from './api-key.inputs.js';
import type { CreateApiKeyPayload } from './api-key.types.js';

/** Creates a key and returns its secret, the only time it exists outside the caller's hands. */
export async function createApiKey(ctx: RequestContext, input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
  if (input.role === Role.OWNER) throw BadUserInputError.field('role', 'An API key cannot be OWNER');
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw BadUserInputError.field('expiresAt', 'expiresAt must be in the future');
  }
  const { secret, hash, prefix } = generateApiKeySecret();
  const apiKey = ctx.em.create(ApiKey, {
    name: input.name.trim(),
    prefix,
    secretHash: hash,
    role: input.role,
    createdBy: actorOf(ctx).id,
    expiresAt: input.expiresAt ?? null,
  });
  recordAudit(ctx, 'api_key.created', apiKey.id, { name: apiKey.name, role: apiKey.role, prefix, expiresAt: apiKey.expiresAt ?? null });
  await ctx.em.flush();
  return { apiKey, secret };
}

/** The tenant's keys, newest first, without secrets. */
export async function listApiKeys(ctx: RequestContext, args: ConnectionArgs): Promise<Connection<ApiKey>> {
  const first = pageSize(args);
  const rows = await ctx.em.find(ApiKey, afterCursor(args.after), { orderBy: NEWEST_FIRST, limit: first + 1 });
  return toConnection(rows, first, () => ctx.em.count(ApiKey, {}), Boolean(args.after));
}

/** Revokes a key (idempotent); every gateway process stops accepting it within a second of the commit. */
export async function revokeApiKey(ctx: RequestContext, id: string): Promise<ApiKey> {
  const apiKey = isUuid(id) ? await ctx.em.findOne(ApiKey, { id }) : null;
  if (!apiKey) throw new NotFoundError('API key');
  if (!apiKey.revokedAt) {
    apiKey.revokedAt = new Date();
    recordAudit(ctx, 'api_key.revoked', apiKey.id, { name: apiKey.name, prefix: apiKey.prefix });
    await ctx.em.flush();
    const directory = ctx.services.get(apiKeyDirectory);
    ctx.services.afterCommit.schedule(ctx.em, () => directory.announceRevocation(apiKey.id));
  }
  return apiKey;
}
