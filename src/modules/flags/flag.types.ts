import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum FlagSource {
  GLOBAL = 'GLOBAL',
  PLAN = 'PLAN',
  TENANT = 'TENANT',
}

registerEnumType(FlagSource, { name: 'FlagSource', description: 'Which level decided a flag: global default, plan default or tenant override.' });

/** A flag as it resolves for one tenant. */
@ObjectType()
export class FeatureFlag {
  @Field(() => String)
  key!: string;

  @Field(() => Boolean, { description: 'The answer for this tenant, rollout applied.' })
  enabled!: boolean;

  @Field(() => FlagSource)
  source!: FlagSource;

  @Field(() => Int, { nullable: true, description: 'Percentage of tenants the deciding level turns the flag on for; null is everyone.' })
  rolloutPercent!: number | null;

  @Field(() => String)
  description!: string;
}
