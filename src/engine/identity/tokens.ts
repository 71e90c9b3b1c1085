import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { UnauthenticatedError } from '../graphql/errors.js';
import { isUuid } from '../graphql/uuid.js';

const ALGORITHM = 'HS256';
const ISSUER = 'tessera';
const AUDIENCE = 'tessera-api';
/** Distinct tokens whose verification is remembered (a few MB at most). */
const VERIFIED_TOKENS = 10_000;

/** What a Tessera access token asserts: who, and in which tenant. Never a role. */
export interface AccessClaims {
  sub: string;
  tid?: string;
  /** Expiry, seconds since the epoch (set on verified tokens; `sign` sets it from the TTL). */
  exp?: number;
}

/** Signs and verifies access tokens with one pinned algorithm, issuer, audience and expiry. */
export class TokenService {
  /**
   * A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
   * public key on every verify and throws, which cost more than the HMAC itself.
   */
  private readonly secret: KeyObject;
  /**
   * Claims of tokens already verified, keyed by the whole token: a signed token verifies the same
   * every time until it expires (expiry is checked again on each use), so a client's next request
   * costs no HMAC and no JSON parse.
   */
  private readonly verified = new LRUCache<string, AccessClaims>({ max: VERIFIED_TOKENS });

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(claims: AccessClaims): string {
    return jwt.sign({ tid: claims.tid }, this.secret, {
      algorithm: ALGORITHM,
      subject: claims.sub,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: this.ttlSeconds,
    });
  }

  /** Throws UNAUTHENTICATED for any token we did not sign, an expired one, or one of another shape. */
  verify(token: string): AccessClaims {
    const known = this.verified.get(token);
    if (known && (known.exp === undefined || known.exp * 1000 > Date.now())) return known;
    const claims = this.verifySignature(token);
    this.verified.set(token, Object.freeze(claims));
    return claims;
  }

  private verifySignature(token: string): AccessClaims {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE });
    } catch {
      throw new UnauthenticatedError('Invalid or expired token');
    }
    if (typeof payload !== 'object' || typeof payload.sub !== 'string' || !isUuid(payload.sub)) {
      throw new UnauthenticatedError('Invalid or expired token');
    }
    const tid: unknown = payload.tid;
    if (tid !== undefined && typeof tid !== 'string') throw new UnauthenticatedError('Invalid or expired token');
    return { sub: payload.sub, tid, exp: payload.exp };
  }
}
