import type { TesseraModule } from '../engine/module.js';
import { accountsModule } from './accounts/index.js';
import { apiKeysModule } from './api-keys/index.js';
import { auditModule } from './audit/index.js';
import { authModule } from './auth/index.js';
import { billingModule } from './billing/index.js';
import { commentsModule } from './comments/index.js';
import { flagsModule } from './flags/index.js';
import { healthModule } from './health/index.js';
import { lifecycleModule } from './lifecycle/index.js';
import { membersModule } from './members/index.js';
import { meteringModule } from './metering/index.js';
import { notificationsModule } from './notifications/index.js';
import { plansModule } from './plans/index.js';
import { platformModule } from './platform/index.js';
import { projectsModule } from './projects/index.js';
import { provisioningModule } from './provisioning/index.js';
import { settingsModule } from './settings/index.js';
import { tasksModule } from './tasks/index.js';
import { tenantsModule } from './tenants/index.js';

/** Every feature the gateway serves: the one list that entities, schema, shield rules and jobs derive from. */
export const modules: readonly TesseraModule[] = [
  healthModule,
  authModule,
  accountsModule,
  tenantsModule,
  plansModule,
  meteringModule,
  flagsModule,
  billingModule,
  provisioningModule,
  platformModule,
  lifecycleModule,
  auditModule,
  apiKeysModule,
  settingsModule,
  projectsModule,
  tasksModule,
  commentsModule,
  membersModule,
  notificationsModule,
];
