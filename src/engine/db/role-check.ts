import type { EntityManager } from '@mikro-orm/postgresql';

export class UnsafeDatabaseRoleError extends Error {
  constructor(role: string, reasons: string[]) {
    super(`Refusing to serve as database role "${role}": ${reasons.join('; ')}. Connect DATABASE_URL as the app role.`);
    this.name = 'UnsafeDatabaseRoleError';
  }
}

export class UnprotectedTenantTableError extends Error {
  constructor(problems: string[]) {
    super(
      `Refusing to serve: tenant tables without full row-level security: ${problems.join('; ')} ` +
        '(see migrations/rls.ts; a deliberately global table carries @tessera:global in its comment)',
    );
    this.name = 'UnprotectedTenantTableError';
  }
}

/** Row-level security means nothing to a superuser, a BYPASSRLS role or the tables' owner. */
export async function assertSafeAppRole(em: EntityManager): Promise<void> {
  const [row] = await em.execute<{ role: string; superuser: boolean; bypassrls: boolean; owned: string }[]>(`
    select current_user as role, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
      (select count(*) from pg_tables t
        where t.schemaname = current_schema() and pg_has_role(current_user, t.tableowner, 'USAGE')) as owned
    from pg_roles r where r.rolname = current_user`);
  if (!row) throw new Error('Could not read the database role of DATABASE_URL');
  const reasons: string[] = [];
  if (row.superuser) reasons.push('it is a superuser');
  if (row.bypassrls) reasons.push('it has BYPASSRLS');
  if (Number(row.owned) > 0) reasons.push(`it owns (or is a member of the owner of) ${row.owned} tables`);
  if (reasons.length > 0) throw new UnsafeDatabaseRoleError(row.role, reasons);
  await assertTenantTablesProtected(em);
}

/** A table comment containing this declares a deliberate global table that merely names a tenant (e.g. provisionings). */
export const GLOBAL_TABLE_MARKER = '@tessera:global';

/**
 * Every table with a `tenant_id` column must have row-level security enabled and forced and a
 * policy for each command (or one for ALL): a migration that forgets it stops the gateway here,
 * instead of leaving the ORM filter alone in charge of isolation. A table that is global on
 * purpose says so in its comment (`GLOBAL_TABLE_MARKER`), an explicit decision rather than an omission.
 */
export async function assertTenantTablesProtected(em: EntityManager): Promise<void> {
  const tables = await em.execute<{ table: string; enabled: boolean; forced: boolean; commands: string[] }[]>(`
    select c.relname as "table", c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
      coalesce(array(select distinct p.polcmd::text from pg_policy p where p.polrelid = c.oid), '{}') as commands
    from pg_class c
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where c.relkind in ('r', 'p') and c.relnamespace = current_schema()::regnamespace
      and coalesce(obj_description(c.oid, 'pg_class'), '') not like '%${GLOBAL_TABLE_MARKER}%'
    order by c.relname`);
  const problems: string[] = [];
  for (const { table, enabled, forced, commands } of tables) {
    const missing: string[] = [];
    if (!enabled) missing.push('RLS not enabled');
    if (!forced) missing.push('RLS not forced');
    const covered = (command: string) => commands.includes(command) || commands.includes('*');
    for (const [command, name] of [
      ['r', 'SELECT'],
      ['a', 'INSERT'],
      ['w', 'UPDATE'],
      ['d', 'DELETE'],
    ] as const) {
      if (!covered(command)) missing.push(`no ${name} policy`);
    }
    if (missing.length > 0) problems.push(`${table} (${missing.join(', ')})`);
  }
  if (problems.length > 0) throw new UnprotectedTenantTableError(problems);
}
