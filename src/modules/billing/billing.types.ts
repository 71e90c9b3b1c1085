import { Field, Float, ObjectType } from 'type-graphql';
import { PlanCode } from '../../engine/tenancy/tenant.enums.js';
import { BillingStatus } from './billing-state.js';

@ObjectType({ description: 'An amount of money in a currency (ISO 4217, lower case).' })
export class Money {
  @Field(() => Float, { description: 'In units of the currency (dollars, not cents).' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 currency code in lower case, e.g. usd.' })
  currency!: string;
}

@ObjectType({ description: "The tenant's plan, subscription state and what the current period is projected to cost." })
export class Billing {
  @Field(() => PlanCode, { description: 'The plan the tenant is on now.' })
  plan!: PlanCode;

  @Field(() => BillingStatus, { description: 'Whether the subscription is trialing, paid up, overdue or canceled.' })
  status!: BillingStatus;

  @Field(() => Date, { nullable: true, description: 'When the free trial ends; null when there is no trial.' })
  trialEndsAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The end of the paid period (Stripe), else the end of the calendar month.' })
  currentPeriodEnd!: Date | null;

  @Field(() => Money, { description: 'The plan price plus metered API calls extrapolated from the usage so far to the end of the period.' })
  projectedCost!: Money;
}
