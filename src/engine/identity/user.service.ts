import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyCredentials } from './credentials.js';
import { hashPassword } from './passwords.js';
import { ConflictError } from '../graphql/errors.js';
import { User } from './user.entity.js';

export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

export interface NewUser {
  email: string;
  password: string;
  name: string;
}

/**
 * The user with this e-mail, created if new. An existing identity is only reused when the
 * password matches: signing up must never attach somebody else's account to a tenant.
 */
export async function findOrCreateUser(em: EntityManager, input: NewUser): Promise<User> {
  const email = normalizeEmail(input.email);
  const existingId = await verifyCredentials(em, email, input.password);
  if (existingId) return em.findOneOrFail(User, { id: existingId });
  if (await em.count(User, { email })) throw new ConflictError('This e-mail is already registered; sign in with its password', 'email');
  return em.create(User, { email, name: input.name.trim(), passwordHash: await hashPassword(input.password) });
}
