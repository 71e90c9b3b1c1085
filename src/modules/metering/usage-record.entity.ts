import { Entity, Enum, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';
import { UsageMetric } from './usage-metric.js';

/**
 * A batch of billable events of one tenant. The idempotency key is unique per tenant: a flush or a
 * job that runs twice records its batch once.
 */
@Entity({ tableName: 'usage_records' })
@Unique({ properties: ['tenantId', 'idempotencyKey'] })
export class UsageRecord extends TenantScopedEntity {
  @Enum({ items: () => UsageMetric })
  metric!: UsageMetric;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  /** When the counted events happened (the start of the flushed second). */
  @Property({ type: 'datetime' })
  occurredAt!: Date;
}
