import { Migration } from '@mikro-orm/migrations';

/** Paid-plan trials: a sign-up for PRO or ENTERPRISE tries it until `trial_ends_at`. */
export class Migration20261202100000_trials extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table tenants add column trial_ends_at timestamptz`);
  }
}
