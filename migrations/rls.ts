/** The tenant of the current transaction; `''` (reused connection) and unset both mean "none". */
export const CURRENT_TENANT = `(select nullif(current_setting('app.tenant_id', true), '')::uuid)`;
export const CURRENT_USER_ID = `(select nullif(current_setting('app.user_id', true), '')::uuid)`;
export const PLATFORM_READ = `(select current_setting('app.platform_read', true)) = 'on'`;
export const APP_ROLE = 'tessera_app';

/**
 * Row-level security for one tenant-scoped table: enabled and forced (the owner too), one policy
 * per command on tenant_id, plus the audited platform read path (SELECT only).
 */
export function tenantTableSecurity(table: string, grants = 'select, insert, update, delete'): string[] {
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy ${table}_tenant_select on ${table} for select using (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_tenant_insert on ${table} for insert with check (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_tenant_update on ${table} for update using (tenant_id = ${CURRENT_TENANT}) with check (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_tenant_delete on ${table} for delete using (tenant_id = ${CURRENT_TENANT})`,
    `create policy ${table}_platform_read on ${table} for select using (${PLATFORM_READ})`,
    `grant ${grants} on ${table} to ${APP_ROLE}`,
  ];
}
