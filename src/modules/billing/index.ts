import { defineModule } from '../../engine/module.js';
import { billingClient } from './billing-client.js';

/** Billing: the provider's customer for each tenant. */
export const billingModule = defineModule({
  name: 'billing',
  services: [billingClient],
});
