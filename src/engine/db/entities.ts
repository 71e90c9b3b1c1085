import type { AnyEntity, EntityClass } from '@mikro-orm/core';
import { PlatformAuditEvent } from '../authorization/platform-audit-event.entity.js';
import { Membership } from '../identity/membership.entity.js';
import { User } from '../identity/user.entity.js';
import type { TesseraModule } from '../module.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/** The engine's own entities: tenants, identity and the platform audit trail. */
const engineEntities: EntityClass<AnyEntity>[] = [Tenant, User, Membership, PlatformAuditEvent];

/** Every entity, listed explicitly (no folder discovery, so the build output cannot drift). */
export function entitiesOf(modules: readonly TesseraModule[]): EntityClass<AnyEntity>[] {
  return [...engineEntities, ...modules.flatMap((module) => module.entities ?? [])];
}
