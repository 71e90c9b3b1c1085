import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../common/tenant-scoped.entity.js';
import { ProvisioningStatus } from './provisioning.types.js';

/** One sign-up's provisioning run; its random id is what the owner watches. */
@Entity({ tableName: 'provisionings' })
export class Provisioning extends TenantScopedEntity {
  @Enum({ items: () => ProvisioningStatus })
  status: Opt<ProvisioningStatus> = ProvisioningStatus.PENDING;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date;

  @Property({ type: 'text', nullable: true })
  failureReason?: string;
}
