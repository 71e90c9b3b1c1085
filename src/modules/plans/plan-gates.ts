import type { Feature } from './plan-catalogue.js';

/**
 * Every field a plan gate guards, as `Type.field` → feature. The rule-coverage test checks this
 * list against the shield rules both ways: a field here without its `requiresFeature` gate, or a
 * gate not listed here, fails it. Slack notifications have no field of their own: a Slack webhook
 * in `updateTenantSettings` needs `slackNotifications` (settings.service.ts), and the dispatcher
 * skips the Slack channel for plans without it (notification-dispatcher.ts).
 */
export const PLAN_GATED_FIELDS: Readonly<Record<string, Feature>> = {
  'Query.auditLog': 'auditLog',
  'Mutation.requestTenantExport': 'dataExport',
  'Query.tenantExport': 'dataExport',
  'Query.apiKeys': 'apiKeys',
  'Mutation.createApiKey': 'apiKeys',
  'Mutation.updateBranding': 'customBranding',
  'Mutation.reopenProject': 'advancedWorkflow',
};
