import type { EntityManager } from '@mikro-orm/postgresql';

export class UnsafeDatabaseRoleError extends Error {
  constructor(role: string, reasons: string[]) {
    super(`Refusing to serve as database role "${role}": ${reasons.join('; ')}. Connect DATABASE_URL as the app role.`);
    this.name = 'UnsafeDatabaseRoleError';
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
}
