import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, PLATFORM_ROLE } from './rls.js';

/**
 * The platform read moves from a setting (`app.platform_read`, which any SQL the app role runs
 * could switch on) to its own login role: every `*_platform_read` policy is rewritten `TO` that
 * role, which may read tenant tables and the registries, write only the platform audit log and a
 * tenant's status, and never reads password hashes. The role is created before migrating
 * (`prepareDatabase`, or by hand in production: README).
 */
export class Migration20261202550100_platform_role extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `grant usage on schema public to ${PLATFORM_ROLE}`,
      `do $$
        declare
          policy record;
        begin
          for policy in
            select c.relname as table_name, p.polname as policy_name from pg_policy p
            join pg_class c on c.oid = p.polrelid
            where p.polname like '%\\_platform\\_read' and c.relnamespace = 'public'::regnamespace
          loop
            execute format('drop policy %I on %I', policy.policy_name, policy.table_name);
            execute format('create policy %I on %I for select to ${PLATFORM_ROLE} using (true)', policy.policy_name, policy.table_name);
            execute format('grant select on %I to ${PLATFORM_ROLE}', policy.table_name);
          end loop;
        end $$`,
      `grant select on tenants, provisionings, provisioning_steps, platform_audit_events to ${PLATFORM_ROLE}`,
      // Suspend and restore; nothing else of the registry.
      `grant update (status, status_reason, deleted_at, updated_at) on tenants to ${PLATFORM_ROLE}`,
      `grant insert on platform_audit_events to ${PLATFORM_ROLE}`,
      `grant select (id, email, name, is_platform_admin, created_at) on users to ${PLATFORM_ROLE}`,
      // Feature flags' global defaults are set through the audited platform path only.
      `grant select, insert, update on feature_flag_defaults to ${PLATFORM_ROLE}`,
      `revoke insert, update on feature_flag_defaults from ${APP_ROLE}`,
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
