import { randomUUID } from 'node:crypto';
import type { Opt } from '@mikro-orm/core';
import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * Base of every row that belongs to one tenant. The `tenant` filter (db/tenant-filter.ts) scopes
 * every read to the request's tenant and the tenant subscriber stamps `tenantId` on insert, so
 * neither depends on a service remembering to do it; RLS checks the same column underneath.
 * Its fields are plain properties (`simpleResolvers`): type-graphql declares them on this class, so
 * its subclasses' own `simpleResolvers` do not reach them, and each would be wrapped per row.
 */
@ObjectType({ simpleResolvers: true })
export abstract class TenantScopedEntity {
  @Field(() => ID, { description: 'Stable unique identifier (a UUID).' })
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid', fieldName: 'tenant_id' })
  tenantId!: Opt<string>;

  @Field(() => Date, { description: 'When it was created (UTC).' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
