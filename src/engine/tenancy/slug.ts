import { BadUserInputError } from '../graphql/errors.js';

/** Names that would collide with our own hosts, paths or staff pages. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'www',
  'api',
  'admin',
  'app',
  'apps',
  'auth',
  'login',
  'logout',
  'signup',
  'register',
  'account',
  'accounts',
  'billing',
  'dashboard',
  'docs',
  'help',
  'support',
  'status',
  'static',
  'assets',
  'cdn',
  'mail',
  'email',
  'smtp',
  'ftp',
  'graphql',
  'healthz',
  'readyz',
  'metrics',
  'root',
  'system',
  'platform',
  'tessera',
  'internal',
  'test',
  'staging',
  'dev',
  'localhost',
  'null',
  'undefined',
]);

const SLUG_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MIN_LENGTH = 3;
export const SLUG_MAX_LENGTH = 48;

export type SlugCheck = { ok: true; slug: string } | { ok: false; reason: string };

/** The one slug rule: NFKC, lower case, 3–48 of a-z/0-9 with single inner hyphens, not reserved. */
export function checkSlug(input: string): SlugCheck {
  const slug = input.normalize('NFKC').trim().toLowerCase();
  if (slug.length < SLUG_MIN_LENGTH || slug.length > SLUG_MAX_LENGTH) {
    return { ok: false, reason: `must be ${SLUG_MIN_LENGTH}-${SLUG_MAX_LENGTH} characters` };
  }
  if (!SLUG_SHAPE.test(slug)) {
    return { ok: false, reason: 'may contain only a-z, 0-9 and single hyphens, not at either end' };
  }
  if (RESERVED_SLUGS.has(slug)) return { ok: false, reason: 'is reserved' };
  return { ok: true, slug };
}

/** Returns the normalised slug or throws BAD_USER_INPUT naming `field`. */
export function normalizeSlug(input: string, field = 'slug'): string {
  const result = checkSlug(input);
  if (!result.ok) throw BadUserInputError.field(field, `Slug ${result.reason}`);
  return result.slug;
}
