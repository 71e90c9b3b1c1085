import type { RequestContext } from '../context.js';
import type { User } from './user.entity.js';
import { ForbiddenError, UnauthenticatedError } from '../graphql/errors.js';

/**
 * The signed-in user a service acts for; the shield rules have already required a caller. A
 * service principal (API key) has no user: work that must be attributed to a person refuses it.
 */
export function actorOf(ctx: RequestContext): User {
  if (!ctx.user && ctx.principal) throw new ForbiddenError('This operation needs a signed-in user, not an API key');
  if (!ctx.user) throw new UnauthenticatedError();
  return ctx.user;
}
