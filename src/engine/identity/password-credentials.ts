import type { EntityManager } from '@mikro-orm/postgresql';
import { ACCOUNTS_PER_EMAIL } from './email-claims.js';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './passwords.js';

/**
 * The app role cannot read `users.password_hash`: the owner-defined `tessera_user_credentials`
 * returns the hashes of one e-mail's accounts at a time (verified first, then unverified newest
 * first), so a query the app runs can never list the hashes.
 */
async function credentialsOf(em: EntityManager, email: string): Promise<{ user_id: string; password_hash: string }[]> {
  return em.execute<{ user_id: string; password_hash: string }[]>(
    'select user_id, password_hash from tessera_user_credentials(?, ?) order by rank',
    [email, ACCOUNTS_PER_EMAIL],
  );
}

/**
 * The ids of the accounts with this (normalised) e-mail whose password is `password`, in sign-in
 * order (the verified account first, then unverified ones, newest first). Always the same work:
 * `ACCOUNTS_PER_EMAIL` argon2 verifications (missing accounts against a dummy hash), run side by
 * side, so neither an unknown e-mail nor the number of accounts an address has shows in the timing.
 */
export async function accountsWithPassword(em: EntityManager, email: string, password: string): Promise<string[]> {
  const credentials = await credentialsOf(em, email);
  const hashes = Array.from({ length: ACCOUNTS_PER_EMAIL }, (_, index) => credentials[index]?.password_hash ?? DUMMY_PASSWORD_HASH);
  const matches = await Promise.all(hashes.map((hash) => verifyPassword(hash, password)));
  return credentials.filter((_, index) => matches[index]).map((account) => account.user_id);
}
