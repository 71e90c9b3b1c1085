import { Entity, Property, Unique } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** A Stripe event already applied to its tenant; written in the same transaction as its effect. */
@Entity({ tableName: 'billing_events' })
export class BillingEvent extends TenantScopedEntity {
  @Unique()
  @Property({ type: 'text' })
  eventId!: string;

  @Property({ type: 'text' })
  type!: string;
}
