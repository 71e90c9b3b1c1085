import type { RequestContext } from '../context.js';
import type { User } from './user.entity.js';
import { UnauthenticatedError } from '../graphql/errors.js';

/** The signed-in user a service acts for; the shield rules have already required one. */
export function actorOf(ctx: RequestContext): User {
  if (!ctx.user) throw new UnauthenticatedError();
  return ctx.user;
}
