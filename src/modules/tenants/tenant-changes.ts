import type { AppServices } from '../../services.js';
import type { Tenant } from './tenant.entity.js';

const TENANT_CHANGES_TOPIC = 'tenants:changed';

/** Tells every process (through Redis when configured) to forget its cached copy of `tenant`. */
export function publishTenantChange(services: AppServices, tenant: Pick<Tenant, 'id' | 'slug' | 'subdomain'>): void {
  services.tenants.invalidate(tenant);
  services.pubSub.publish(TENANT_CHANGES_TOPIC, { id: tenant.id, slug: tenant.slug, subdomain: tenant.subdomain });
}

/** Keeps this process's tenant cache in step with changes made by other processes; returns a stop function. */
export function followTenantChanges(services: Pick<AppServices, 'pubSub' | 'tenants' | 'log'>): () => Promise<void> {
  const changes = services.pubSub.subscribe(TENANT_CHANGES_TOPIC);
  void (async () => {
    for await (const change of changes) {
      services.tenants.invalidate(change as Pick<Tenant, 'id' | 'slug' | 'subdomain'>);
    }
  })().catch((error: unknown) => services.log.error({ err: error }, 'tenant change feed stopped'));
  return async () => {
    await changes.return?.();
  };
}
