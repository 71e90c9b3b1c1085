/** The tenant of the current transaction; `''` (reused connection) and unset both mean "none". */
export const CURRENT_TENANT = `(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;
export const CURRENT_USER_ID = `(select nullif(current_setting('app.user_id', true), '')::uuid)`;
export const APP_ROLE = 'tessera_app';
/** Its own login role and pool: a setting any app-role SQL could switch on no longer opens the platform read. */
export const PLATFORM_ROLE = 'tessera_platform';

/**
 * Row-level security for one tenant-scoped table: enabled and forced (the owner too), one policy
 * per command on tenant_id, plus the audited platform read path: SELECT only, for the platform role only.
 */
export function tenantTableSecurity(table: string, grants = 'select, insert, update, delete'): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy ${table}_tenant_select on ${table} for select using (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_tenant_insert on ${table} for insert with check (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_tenant_update on ${table} for update using (tenant_id = ${CURRENT_TENANT}) with check (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_tenant_delete on ${table} for delete using (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_platform_read on ${table} for select to ${PLATFORM_ROLE} using (true)`,
    `grant ${grants} on ${table} to ${APP_ROLE}`,
    `grant select on ${table} to ${PLATFORM_ROLE}`,
  ];
}
