import { defineModule } from '../../engine/module.js';
import { LifecycleResolver } from './lifecycle.resolver.js';
import { lifecycleRules } from './lifecycle.rules.js';
import { lifecycleTasks } from './lifecycle.tasks.js';
import { TenantExport } from './tenant-export.entity.js';

/** Suspend, restore, delete, purge and export a tenant. */
export const lifecycleModule = defineModule({
  name: 'lifecycle',
  entities: [TenantExport],
  resolvers: [LifecycleResolver],
  rules: lifecycleRules,
  tasks: lifecycleTasks,
});
