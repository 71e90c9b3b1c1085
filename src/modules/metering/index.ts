import { defineModule } from '../../engine/module.js';
import { meterApiCall } from './api-call-metering.js';
import { apiCallQuota } from './api-call-quota.js';
import { meteringRules } from './metering.rules.js';
import { usageMeter } from './usage-meter.js';
import { UsageRecord } from './usage-record.entity.js';
import { UsageRollup } from './usage-rollup.entity.js';
import { UsageResolver } from './usage.resolver.js';
import { usageTasks } from './usage.tasks.js';

/**
 * Usage metering and quotas: API calls counted per operation (monthly quota, batched into usage
 * records and hourly/daily rollups), seat and project limits checked atomically where they are
 * created, and the `usage` query.
 */
export const meteringModule = defineModule({
  name: 'metering',
  entities: [UsageRecord, UsageRollup],
  resolvers: [UsageResolver],
  rules: meteringRules,
  tasks: usageTasks,
  services: [apiCallQuota, usageMeter],
  onOperation: meterApiCall,
});
