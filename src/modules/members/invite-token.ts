import { createHash, randomBytes } from 'node:crypto';
import { isUuid } from '../../engine/graphql/uuid.js';

/*
 * An invite token is `<tenantId>.<secret>`: the tenant part says where to look without any
 * cross-tenant query, and the secret (32 random bytes) is what proves the invite. Only the
 * secret's SHA-256 is stored, and only inside that tenant, so editing the tenant part finds nothing.
 */

const SECRET_BYTES = 32;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const MAX_TOKEN_LENGTH = 200;

export interface IssuedInviteToken {
  token: string;
  tokenHash: string;
}

export interface ParsedInviteToken {
  tenantId: string;
  tokenHash: string;
}

function hashInviteSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A fresh token for the invite link, and the hash to store in its place. */
export function issueInviteToken(tenantId: string): IssuedInviteToken {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { token: `${tenantId}.${secret}`, tokenHash: hashInviteSecret(secret) };
}

/** The tenant and secret hash of a well-formed token; null for anything else (never throws). */
export function parseInviteToken(token: string): ParsedInviteToken | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const [tenantId, secret, ...rest] = token.trim().split('.');
  if (rest.length > 0 || tenantId === undefined || secret === undefined) return null;
  if (!isUuid(tenantId) || !SECRET_SHAPE.test(secret)) return null;
  return { tenantId: tenantId.toLowerCase(), tokenHash: hashInviteSecret(secret) };
}
