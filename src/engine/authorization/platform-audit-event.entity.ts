import { randomUUID } from 'node:crypto';
import type { Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Who read across tenants, when and why: one row per platform-operator operation (append-only). */
@Entity({ tableName: 'platform_audit_events' })
export class PlatformAuditEvent {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid' })
  operatorUserId!: string;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'json' })
  data: Opt<Record<string, unknown>> = {};

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}
