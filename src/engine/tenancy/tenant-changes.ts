import type { Logger } from '../observability/logger.js';
import type { AppPubSub } from '../pubsub/pubsub.js';
import type { TenantDirectory } from './tenant-directory.js';
import type { Tenant } from './tenant.entity.js';

const TENANT_CHANGES_TOPIC = 'tenants:changed' as const;

type TenantKeys = Pick<Tenant, 'id' | 'slug' | 'subdomain'>;

declare module '../pubsub/pubsub.js' {
  interface TopicMap {
    'tenants:changed': TenantKeys;
  }
}

/** Tells every process (through Redis when configured) to forget its cached copy of `tenant`. */
export function publishTenantChange(services: { tenants: TenantDirectory; pubSub: AppPubSub }, tenant: TenantKeys): void {
  services.tenants.invalidate(tenant);
  services.pubSub.publish(TENANT_CHANGES_TOPIC, { id: tenant.id, slug: tenant.slug, subdomain: tenant.subdomain });
}

/** Keeps this process's tenant cache in step with changes made by other processes; returns a stop function. */
export function followTenantChanges(pubSub: AppPubSub, tenants: TenantDirectory, log: Logger): () => Promise<void> {
  const changes = pubSub.subscribe(TENANT_CHANGES_TOPIC);
  void (async () => {
    for await (const change of changes) tenants.invalidate(change);
  })().catch((error: unknown) => log.error({ err: error }, 'tenant change feed stopped'));
  return async () => {
    await changes.return?.();
  };
}
