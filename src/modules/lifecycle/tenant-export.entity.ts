import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

export enum TenantExportStatus {
  PENDING = 'PENDING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(TenantExportStatus, { name: 'TenantExportStatus' });

/** A full export of one tenant's rows, produced by a job as NDJSON. */
@ObjectType()
@Entity({ tableName: 'tenant_exports' })
export class TenantExport extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  requestedBy!: string;

  @Field(() => TenantExportStatus)
  @Enum({ items: () => TenantExportStatus })
  status: Opt<TenantExportStatus> = TenantExportStatus.PENDING;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  rowCount?: number;

  @Field(() => String, { nullable: true, description: 'One JSON object per line: {"table": …, "row": {…}}.' })
  @Property({ type: 'text', nullable: true, lazy: true })
  archive?: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  failureReason?: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date;
}
