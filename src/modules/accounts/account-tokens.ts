import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccountToken, AccountTokenPurpose } from './account-token.entity.js';

const TTL_MS: Record<AccountTokenPurpose, number> = {
  [AccountTokenPurpose.PASSWORD_RESET]: 30 * 60 * 1000,
  [AccountTokenPurpose.EMAIL_VERIFICATION]: 7 * 24 * 3600 * 1000,
};

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new one-time token for `userId`; the secret is returned once (for the e-mail), only its hash is stored. */
export function issueAccountToken(em: EntityManager, userId: string, purpose: AccountTokenPurpose): string {
  const secret = randomBytes(32).toString('base64url');
  em.create(AccountToken, { userId, purpose, tokenHash: hashOf(secret), expiresAt: new Date(Date.now() + TTL_MS[purpose]) });
  return secret;
}

/**
 * Uses a token once and applies `change` (a `set` list for `users`, with its parameters) to its
 * user in the same statement: only a valid, unexpired, unused token of `purpose` matches, and the
 * single UPDATE makes two concurrent uses impossible to both win. Returns the user id, or null.
 */
export async function consumeAccountToken(
  em: EntityManager,
  secret: string,
  purpose: AccountTokenPurpose,
  change: { set: string; params: unknown[] },
): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const rows = await em.execute<{ id: string }[]>(
    `with used as (
       update account_tokens set used_at = now()
       where token_hash = ? and purpose = ? and used_at is null and expires_at > now()
       returning user_id
     )
     update users set ${change.set} from used where users.id = used.user_id returning users.id`,
    [hashOf(secret), purpose, ...change.params],
  );
  const userId = rows[0]?.id ?? null;
  if (userId) {
    // The user's other open tokens of this purpose die with this one.
    await em.execute('update account_tokens set used_at = now() where user_id = ? and purpose = ? and used_at is null', [userId, purpose]);
  }
  return userId;
}
