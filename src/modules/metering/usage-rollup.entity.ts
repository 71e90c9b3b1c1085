import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';
import { UsageMetric } from './usage-metric.js';

export enum RollupGranularity {
  HOUR = 'HOUR',
  DAY = 'DAY',
}

/** The sum of a tenant's usage records of one metric in one hour or day (recomputed, never added to). */
@Entity({ tableName: 'usage_rollups' })
@Unique({ properties: ['tenantId', 'metric', 'granularity', 'bucketStart'] })
export class UsageRollup extends TenantScopedEntity {
  @Enum({ items: () => UsageMetric })
  metric!: UsageMetric;

  @Enum({ items: () => RollupGranularity })
  granularity!: RollupGranularity;

  @Property({ type: 'datetime' })
  bucketStart!: Date;

  @Property({ type: 'integer' })
  quantity!: number;

  /** Set once a closed hour was sent to the billing provider's meter. */
  @Property({ type: 'datetime', nullable: true })
  reportedAt?: Opt<Date> | null;
}
