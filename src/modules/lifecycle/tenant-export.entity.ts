import type { Opt } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

export enum TenantExportStatus {
  PENDING = 'PENDING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(TenantExportStatus, {
  name: 'TenantExportStatus',
  description: 'Where a tenant export stands.',
  valuesConfig: {
    PENDING: { description: 'Requested; the export job has not finished yet.' },
    COMPLETED: { description: 'Done: the archive is ready.' },
    FAILED: { description: 'The export failed; see failureReason.' },
  },
});

/** A full export of one tenant's rows, produced by a job as NDJSON. */
@ObjectType({ description: "A complete export of the tenant's data as NDJSON, produced in the background." })
@Entity({ tableName: 'tenant_exports' })
export class TenantExport extends TenantScopedEntity {
  @Property({ type: 'uuid' })
  requestedBy!: string;

  @Field(() => TenantExportStatus, { description: 'Whether the export is still running, done or failed.' })
  @Enum({ items: () => TenantExportStatus })
  status: Opt<TenantExportStatus> = TenantExportStatus.PENDING;

  @Field(() => Int, { nullable: true, description: 'How many rows the archive holds; null until completed.' })
  @Property({ type: 'integer', nullable: true })
  rowCount?: number;

  @Field(() => String, { nullable: true, description: 'One JSON object per line: {"table": …, "row": {…}}.' })
  @Property({ type: 'text', nullable: true, lazy: true })
  archive?: string;

  @Field(() => String, { nullable: true, description: 'Why the export failed; null unless FAILED.' })
  @Property({ type: 'text', nullable: true })
  failureReason?: string;

  @Field(() => Date, { nullable: true, description: 'When the export completed; null until then.' })
  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date;
}
