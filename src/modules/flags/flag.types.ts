import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

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
