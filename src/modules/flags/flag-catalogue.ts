import { PlanCode } from '../../engine/tenancy/tenant.enums.js';

/** A feature flag the code knows about; setting any other key is BAD_USER_INPUT. */
export interface FlagDefinition {
  readonly key: string;
  readonly description: string;
  /** The global default until a platform operator stores another. */
  readonly defaultEnabled: boolean;
  /** Plan defaults: decide for tenants on these plans unless the tenant overrides. */
  readonly planDefaults?: Partial<Record<PlanCode, boolean>>;
}

/** Every known flag. Adding one is a line here; its global default can then be changed at run time. */
export const FLAG_CATALOGUE: readonly FlagDefinition[] = [
  { key: 'newDashboard', description: 'The redesigned project dashboard.', defaultEnabled: false },
  {
    key: 'aiTaskSummaries',
    description: 'Generated summaries of long task threads.',
    defaultEnabled: false,
    planDefaults: { [PlanCode.ENTERPRISE]: true },
  },
  { key: 'bulkTaskEdit', description: 'Edit many tasks at once.', defaultEnabled: true, planDefaults: { [PlanCode.FREE]: false } },
];

const BY_KEY = new Map(FLAG_CATALOGUE.map((flag) => [flag.key, flag]));

export function flagDefinition(key: string): FlagDefinition | undefined {
  return BY_KEY.get(key);
}
