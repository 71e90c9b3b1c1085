import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum FlagSource {
  GLOBAL = 'GLOBAL',
  PLAN = 'PLAN',
  TENANT = 'TENANT',
}

registerEnumType(FlagSource, {
  name: 'FlagSource',
  description: 'Which level decided a flag: global default, plan default or tenant override.',
  valuesConfig: {
    GLOBAL: { description: 'The platform-wide default (set by platform operators).' },
    PLAN: { description: "The default of the tenant's plan." },
    TENANT: { description: "This tenant's own override (setFeatureFlag)." },
  },
});

/** A flag as it resolves for one tenant. */
@ObjectType({ description: 'A feature flag as it resolves for the current tenant.' })
export class FeatureFlag {
  @Field(() => String, { description: 'The stable name of the flag, e.g. used in setFeatureFlag.' })
  key!: string;

  @Field(() => Boolean, { description: 'The answer for this tenant, rollout applied.' })
  enabled!: boolean;

  @Field(() => FlagSource, { description: 'The level whose setting decided `enabled`.' })
  source!: FlagSource;

  @Field(() => Int, { nullable: true, description: 'Percentage of tenants the deciding level turns the flag on for; null is everyone.' })
  rolloutPercent!: number | null;

  @Field(() => String, { description: 'What the flag turns on, for people.' })
  description!: string;
}

/** A flag's setting, at the tenant level (`setFeatureFlag`) or the global one (`setGlobalFeatureFlag`). */
@ArgsType()
export class FlagSettingArgs {
  @Field(() => String, { description: 'A known flag key; an unknown key answers BAD_USER_INPUT.' })
  key!: string;

  @Field(() => Boolean, { description: 'Whether the flag is on.' })
  enabled!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Whole number from 0 to 100 (else BAD_USER_INPUT): the share of tenants it applies to; null or omitted: all.',
  })
  rolloutPercent?: number | null;
}
