import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { clearFeatureFlag, listFeatureFlags, setFeatureFlag, setGlobalFeatureFlag } from './flag.service.js';
import { FeatureFlag, FlagSettingArgs } from './flag.types.js';

@Resolver()
export class FlagResolver {
  @Query(() => [FeatureFlag], { description: 'Managers and owners: every known flag as it resolves for this tenant.' })
  featureFlags(@Ctx() ctx: RequestContext): Promise<FeatureFlag[]> {
    return listFeatureFlags(ctx);
  }

  @Mutation(() => FeatureFlag, {
    nullable: true,
    description: "Owner: this tenant's override of a flag (rolloutPercent omitted: every request).",
  })
  setFeatureFlag(
    @Args(() => FlagSettingArgs) { key, enabled, rolloutPercent }: FlagSettingArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<FeatureFlag> {
    return setFeatureFlag(ctx, key, enabled, rolloutPercent);
  }

  @Mutation(() => FeatureFlag, {
    nullable: true,
    description: "Owner: removes this tenant's override; the plan or global default decides again.",
  })
  clearFeatureFlag(
    @Arg('key', () => String, { description: 'A known flag key; an unknown key answers BAD_USER_INPUT.' }) key: string,
    @Ctx() ctx: RequestContext,
  ): Promise<FeatureFlag> {
    return clearFeatureFlag(ctx, key);
  }

  @Mutation(() => FeatureFlag, { nullable: true, description: 'Platform operators: the global default of a flag (audited).' })
  setGlobalFeatureFlag(
    @Args(() => FlagSettingArgs) { key, enabled, rolloutPercent }: FlagSettingArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<FeatureFlag> {
    return setGlobalFeatureFlag(ctx, key, enabled, rolloutPercent);
  }
}
