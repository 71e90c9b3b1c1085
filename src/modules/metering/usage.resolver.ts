import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { currentUsage } from './usage.service.js';
import { Usage } from './usage.types.js';

@Resolver()
export class UsageResolver {
  @Query(() => Usage, { description: 'Managers: seats, projects and API calls against the plan.' })
  usage(@Ctx() ctx: RequestContext): Promise<Usage> {
    return currentUsage(ctx);
  }
}
