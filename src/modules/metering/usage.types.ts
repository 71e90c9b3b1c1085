import { Field, Int, ObjectType } from 'type-graphql';
import { UsageMetric } from './usage-metric.js';

@ObjectType({ description: 'One limited quantity of the plan: what is used and what the plan allows.' })
export class MetricUsage {
  @Field(() => UsageMetric)
  metric!: UsageMetric;

  @Field(() => Int)
  used!: number;

  @Field(() => Int, { nullable: true, description: 'Null when the plan has no limit.' })
  limit!: number | null;
}

@ObjectType({ description: "The tenant's usage in the current period (a calendar month, UTC)." })
export class Usage {
  @Field(() => Date)
  periodStart!: Date;

  @Field(() => Date)
  periodEnd!: Date;

  @Field(() => [MetricUsage])
  metrics!: MetricUsage[];
}
