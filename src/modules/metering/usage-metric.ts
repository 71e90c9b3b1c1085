import { registerEnumType } from 'type-graphql';

/** What a plan limits per tenant (the plan catalogue's `LimitedMetric`, as a GraphQL enum). */
export enum UsageMetric {
  SEATS = 'SEATS',
  PROJECTS = 'PROJECTS',
  API_CALLS = 'API_CALLS',
}

registerEnumType(UsageMetric, {
  name: 'UsageMetric',
  description: 'SEATS: members plus pending invites; PROJECTS: every project; API_CALLS: authenticated operations this month (UTC).',
  valuesConfig: {
    SEATS: { description: 'Members plus pending invites.' },
    PROJECTS: { description: 'Every project of the tenant.' },
    API_CALLS: { description: 'Authenticated GraphQL operations in the current month (UTC).' },
  },
});
