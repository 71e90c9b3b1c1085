import { Field, Int, ObjectType } from 'type-graphql';
import { UsageMetric } from './usage-metric.js';

@ObjectType({ description: 'One limited quantity of the plan: what is used and what the plan allows.' })
export class MetricUsage {
  @Field(() => UsageMetric, { description: 'Which quantity this is.' })
  metric!: UsageMetric;

  @Field(() => Int, { description: 'How much is used now (API_CALLS: in the current period).' })
  used!: number;

  @Field(() => Int, { nullable: true, description: 'Null when the plan has no limit.' })
  limit!: number | null;
}

@ObjectType({ description: "The tenant's usage in the current period (a calendar month, UTC)." })
export class Usage {
  @Field(() => Date, { description: 'Start of the period (inclusive): the first of the month, 00:00 UTC.' })
  periodStart!: Date;

  @Field(() => Date, { description: 'End of the period (exclusive): the first of the next month, 00:00 UTC.' })
  periodEnd!: Date;

  @Field(() => [MetricUsage], { description: 'Every limited quantity: SEATS, PROJECTS and API_CALLS.' })
  metrics!: MetricUsage[];
}
