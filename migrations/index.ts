import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000_core } from './Migration20261123000000_core.js';
import { Migration20261123000100_projects } from './Migration20261123000100_projects.js';
import { Migration20261123000200_members } from './Migration20261123000200_members.js';
import { Migration20261123000300_lifecycle } from './Migration20261123000300_lifecycle.js';
import { Migration20261202100000_trials } from './Migration20261202100000_trials.js';
import { Migration20261202100100_feature_flags } from './Migration20261202100100_feature_flags.js';
import { Migration20261202150000_api_keys } from './Migration20261202150000_api_keys.js';
import { Migration20261202200000_assignee_joins_project } from './Migration20261202200000_assignee_joins_project.js';
import { Migration20261202300000_metering } from './Migration20261202300000_metering.js';
import { Migration20261202500000_memberships_self_select_tenant } from './Migration20261202500000_memberships_self_select_tenant.js';
import { Migration20261202550000_database_protection } from './Migration20261202550000_database_protection.js';
import { Migration20261202550100_platform_role } from './Migration20261202550100_platform_role.js';
import { Migration20261202550200_account_tokens } from './Migration20261202550200_account_tokens.js';
import { Migration20261202560000_email_claims } from './Migration20261202560000_email_claims.js';
import { Migration20261203100000_job_outbox } from './Migration20261203100000_job_outbox.js';

/** Applied in this order; a new migration is appended here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123000000_core', class: Migration20261123000000_core },
  { name: 'Migration20261123000100_projects', class: Migration20261123000100_projects },
  { name: 'Migration20261123000200_members', class: Migration20261123000200_members },
  { name: 'Migration20261123000300_lifecycle', class: Migration20261123000300_lifecycle },
  { name: 'Migration20261202100000_trials', class: Migration20261202100000_trials },
  { name: 'Migration20261202100100_feature_flags', class: Migration20261202100100_feature_flags },
  { name: 'Migration20261202150000_api_keys', class: Migration20261202150000_api_keys },
  { name: 'Migration20261202200000_assignee_joins_project', class: Migration20261202200000_assignee_joins_project },
  { name: 'Migration20261202300000_metering', class: Migration20261202300000_metering },
  { name: 'Migration20261202500000_memberships_self_select_tenant', class: Migration20261202500000_memberships_self_select_tenant },
  { name: 'Migration20261202550000_database_protection', class: Migration20261202550000_database_protection },
  { name: 'Migration20261202550100_platform_role', class: Migration20261202550100_platform_role },
  { name: 'Migration20261202550200_account_tokens', class: Migration20261202550200_account_tokens },
  { name: 'Migration20261202560000_email_claims', class: Migration20261202560000_email_claims },
  { name: 'Migration20261203100000_job_outbox', class: Migration20261203100000_job_outbox },
];
