import type { Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '../../engine/tenancy/tenant-scoped.entity.js';

/** A global default stored by a platform operator (a small reference table, no tenant). */
@Entity({ tableName: 'feature_flag_defaults' })
export class FeatureFlagDefault {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'boolean' })
  enabled!: boolean;

  @Property({ type: 'integer', nullable: true })
  rolloutPercent?: number | null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}

/** A tenant's own setting of a flag: decides over the plan and global defaults. */
@Entity({ tableName: 'tenant_feature_flags' })
export class TenantFeatureFlag extends TenantScopedEntity {
  @Property({ type: 'text' })
  key!: string;

  @Property({ type: 'boolean' })
  enabled!: boolean;

  @Property({ type: 'integer', nullable: true })
  rolloutPercent?: number | null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
