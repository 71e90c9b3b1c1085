import { defineModule } from '../../engine/module.js';

/** Plans and their entitlements (`plan-catalogue.ts`), read by gates, quotas and billing. */
export const plansModule = defineModule({ name: 'plans' });
