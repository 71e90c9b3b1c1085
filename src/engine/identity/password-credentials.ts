import type { EntityManager } from '@mikro-orm/postgresql';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './passwords.js';

/**
 * The app role cannot read `users.password_hash`: the owner-defined `tessera_user_credentials`
 * returns it for one e-mail at a time, so a query the app runs can never list the hashes.
 */
async function credentialsOf(em: EntityManager, email: string): Promise<{ user_id: string; password_hash: string } | undefined> {
  const rows = await em.execute<{ user_id: string; password_hash: string }[]>(
    'select user_id, password_hash from tessera_user_credentials(?)',
    [email],
  );
  return rows[0];
}

/**
 * The id of the user with this (normalised) e-mail if `password` is theirs, otherwise null. An
 * unknown e-mail costs the same argon2 verification (no enumeration by timing).
 */
export async function verifyCredentials(em: EntityManager, email: string, password: string): Promise<string | null> {
  const credentials = await credentialsOf(em, email);
  const ok = await verifyPassword(credentials?.password_hash ?? DUMMY_PASSWORD_HASH, password);
  return credentials && ok ? credentials.user_id : null;
}
