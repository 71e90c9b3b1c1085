import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../engine/context.js';
import { clearFeatureFlag, listFeatureFlags, setFeatureFlag, setGlobalFeatureFlag } from './flag.service.js';
import { FeatureFlag } from './flag.types.js';

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
    @Arg('key', () => String, { description: 'A known flag key; an unknown key answers BAD_USER_INPUT.' }) key: string,
    @Arg('enabled', () => Boolean, { description: 'Whether the flag is on.' }) enabled: boolean,
    @Arg('rolloutPercent', () => Int, {
      nullable: true,
      description: 'Whole number from 0 to 100 (else BAD_USER_INPUT): the share of tenants it applies to; null or omitted: all.',
    })
    rolloutPercent: number | null | undefined,
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
    @Arg('key', () => String, { description: 'A known flag key; an unknown key answers BAD_USER_INPUT.' }) key: string,
    @Arg('enabled', () => Boolean, { description: 'Whether the flag is on.' }) enabled: boolean,
    @Arg('rolloutPercent', () => Int, {
      nullable: true,
      description: 'Whole number from 0 to 100 (else BAD_USER_INPUT): the share of tenants it applies to; null or omitted: all.',
    })
    rolloutPercent: number | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<FeatureFlag> {
    return setGlobalFeatureFlag(ctx, key, enabled, rolloutPercent);
  }
}
