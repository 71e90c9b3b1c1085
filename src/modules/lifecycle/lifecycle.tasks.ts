import { DriverException } from '@mikro-orm/core';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import type { TenantJobPayload } from '../../engine/jobs/job-queue.js';
import type { TenantTask } from '../../engine/jobs/worker.js';
import type { AppServices } from '../../engine/services.js';
import { TenantExport, TenantExportStatus } from './tenant-export.entity.js';

export const PURGE_TENANT_TASK = 'purge-tenant';
export const EXPORT_TENANT_TASK = 'export-tenant';

/** Attempts of an export job: a failure is retried, and the last attempt's failure ends the export FAILED. */
export const EXPORT_MAX_ATTEMPTS = 3;

export interface ExportTenantJob extends TenantJobPayload {
  exportId: string;
}

/** What the owner reads on a failed export: the database's own message, without the SQL text. */
function failureReasonOf(error: unknown): string {
  if (error instanceof DriverException && error.sqlMessage) return error.sqlMessage;
  return error instanceof Error ? error.message : String(error);
}

/** Writes the archive of a PENDING export in one tenant transaction (nothing when it is not PENDING). */
async function writeExport(services: AppServices, tenantId: string, exportId: string): Promise<void> {
  const tables = (await tenantTables(services)).filter((table) => table !== 'tenant_exports');
  await inTenantTransaction(services.orm.em, tenantId, async (em) => {
    const record = await em.findOne(TenantExport, { id: exportId });
    if (!record || record.status !== TenantExportStatus.PENDING) return;
    const lines: string[] = [];
    for (const table of tables) {
      // RLS already limits the rows to this tenant; the explicit condition is the second lock.
      const rows = await em.execute<Record<string, unknown>[]>(`select * from "${table}" where tenant_id = ?`, [tenantId]);
      for (const row of rows) lines.push(JSON.stringify({ table, row }));
    }
    em.assign(record, {
      status: TenantExportStatus.COMPLETED,
      archive: lines.join('\n'),
      rowCount: lines.length,
      completedAt: new Date(),
    });
  });
}

/**
 * Records a failed attempt on the export (its transaction was rolled back): the reason always, and
 * FAILED on the last attempt, so an export never stays PENDING after its job gave up.
 */
async function recordExportFailure(
  services: AppServices,
  tenantId: string,
  exportId: string,
  reason: string,
  final: boolean,
): Promise<void> {
  await inTenantTransaction(services.orm.em, tenantId, async (em) => {
    const record = await em.findOne(TenantExport, { id: exportId });
    if (!record || record.status !== TenantExportStatus.PENDING) return;
    em.assign(
      record,
      final ? { status: TenantExportStatus.FAILED, failureReason: reason, completedAt: new Date() } : { failureReason: reason },
    );
  });
}

/** Tables that hold tenant rows, found in the catalog so a new table is exported without a code change. */
async function tenantTables(services: AppServices): Promise<string[]> {
  const rows = await services.orm.em.fork().execute<{ table_name: string }[]>(
    `select c.table_name from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
     order by c.table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** Background work of the tenant lifecycle: the purge after retention and full exports. */
export function lifecycleTasks(services: AppServices): Record<string, TenantTask> {
  return {
    async [PURGE_TENANT_TASK]({ tenantId }) {
      const [result] = await services.orm.em.fork().execute<{ purged: number }[]>('select tessera_purge_tenant(?) as purged', [tenantId]);
      services.log.info({ tenant_id: tenantId, rows: result?.purged }, 'tenant purged');
    },

    async [EXPORT_TENANT_TASK](payload, helpers) {
      const { tenantId, exportId } = payload as ExportTenantJob;
      try {
        await writeExport(services, tenantId, exportId);
      } catch (error) {
        const final = helpers.job.attempts >= helpers.job.max_attempts;
        await recordExportFailure(services, tenantId, exportId, failureReasonOf(error), final);
        services.log.warn({ err: error, tenant_id: tenantId, export_id: exportId, final }, 'tenant export failed');
        // Retried by the queue until the last attempt; after that the export row holds the outcome.
        if (!final) throw error;
      }
    },
  };
}
