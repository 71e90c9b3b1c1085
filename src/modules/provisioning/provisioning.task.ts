import type { EntityManager } from '@mikro-orm/postgresql';
import { publicErrorText } from '../../engine/graphql/errors.js';
import type { JobHelpers } from 'graphile-worker';
import { inTenantTransaction } from '../../engine/tenancy/tenant-session.js';
import type { TenantJobPayload } from '../../engine/jobs/job-queue.js';
import type { TenantTask } from '../../engine/jobs/worker.js';
import type { AppServices } from '../../engine/services.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { TenantStatus } from '../../engine/tenancy/tenant.enums.js';
import { publishTenantChange } from '../../engine/tenancy/tenant-changes.js';
import { Provisioning, ProvisioningStep } from './provisioning.entity.js';
import { publishProvisioningEvent } from './provisioning.events.js';
import type { ProvisioningStepDefinition } from './provisioning-step.js';
import { PROVISIONING_STEPS } from './provisioning.steps.js';
import { ProvisioningStatus, ProvisioningStepStatus } from './provisioning.types.js';

export const PROVISION_TENANT_TASK = 'provision-tenant';

export interface ProvisionTenantJob extends TenantJobPayload {
  provisioningId: string;
}

const DONE = new Set([ProvisioningStepStatus.COMPLETED, ProvisioningStepStatus.SKIPPED]);

/**
 * Runs the provisioning steps in order, skipping those already done, so a retry or a run resumed
 * after a crash continues where the last one stopped. Each step's work and its "done" mark commit
 * together. A failing step is retried by graphile-worker with backoff; when the attempts are used
 * up the tenant is marked FAILED with the reason.
 */
export function provisioningTasks(services: AppServices): Record<string, TenantTask> {
  return {
    [PROVISION_TENANT_TASK]: (payload, helpers) => provision(services, payload as ProvisionTenantJob, helpers),
  };
}

async function provision(services: AppServices, job: ProvisionTenantJob, helpers: JobHelpers): Promise<void> {
  const em = services.orm.em.fork();
  const provisioning = await em.findOne(Provisioning, { id: job.provisioningId, tenant: job.tenantId }, { populate: ['steps', 'tenant'] });
  if (!provisioning || provisioning.status === ProvisioningStatus.COMPLETED || provisioning.status === ProvisioningStatus.FAILED) {
    return;
  }
  const publish = (step: string | null, stepStatus: ProvisioningStepStatus | null, message: string) =>
    publishProvisioningEvent(services.pubSub, job.tenantId, {
      provisioningId: provisioning.id,
      status: provisioning.status,
      step,
      stepStatus,
      message,
    });

  if (provisioning.status === ProvisioningStatus.PENDING) {
    provisioning.status = ProvisioningStatus.RUNNING;
    await em.flush();
    publish(null, null, 'Provisioning started');
  }
  for (const definition of PROVISIONING_STEPS) {
    const record = provisioning.steps.getItems().find((step) => step.step === definition.name);
    if (!record || DONE.has(record.status)) continue;
    try {
      await runStep(services, em, provisioning, record, definition, publish);
    } catch (error) {
      const reason = publicErrorText(error, services.config.env === 'production');
      services.log.warn({ err: error, step: definition.name }, 'provisioning step failed');
      const outOfAttempts = helpers.job.attempts >= helpers.job.max_attempts;
      record.status = outOfAttempts ? ProvisioningStepStatus.FAILED : ProvisioningStepStatus.PENDING;
      record.lastError = reason;
      await em.flush();
      publish(definition.name, record.status, `Step ${definition.name} failed: ${reason}`);
      if (!outOfAttempts) throw error;
      await markFailed(services, em, provisioning, `${definition.name}: ${reason}`);
      publish(null, null, `Provisioning failed: ${definition.name}: ${reason}`);
      return;
    }
  }
  await activate(services, em, provisioning);
  publish(null, null, 'Tenant is ready');
}

async function runStep(
  services: AppServices,
  em: EntityManager,
  provisioning: Provisioning,
  record: ProvisioningStep,
  definition: ProvisioningStepDefinition,
  publish: (step: string, status: ProvisioningStepStatus, message: string) => void,
): Promise<void> {
  record.status = ProvisioningStepStatus.RUNNING;
  record.attempts += 1;
  record.startedAt = new Date();
  provisioning.currentStep = definition.name;
  await em.flush();
  publish(definition.name, record.status, `Running ${definition.name}`);

  const outcome = await inTenantTransaction(services.orm.em, provisioning.tenant.id, async (tx) => {
    const tenant = await tx.findOneOrFail(Tenant, { id: provisioning.tenant.id });
    const result = await definition.run({ em: tx, tenant, provisioning, services });
    await tx.nativeUpdate(
      ProvisioningStep,
      { id: record.id },
      { status: ProvisioningStepStatus[result], finishedAt: new Date(), lastError: null },
    );
    return result;
  });
  await em.refresh(record);
  publish(definition.name, record.status, `${definition.name} ${outcome === 'SKIPPED' ? 'skipped' : 'done'}`);
}

async function activate(services: AppServices, em: EntityManager, provisioning: Provisioning): Promise<void> {
  const tenant = provisioning.tenant;
  tenant.status = TenantStatus.ACTIVE;
  provisioning.status = ProvisioningStatus.COMPLETED;
  provisioning.currentStep = undefined;
  provisioning.completedAt = new Date();
  await em.flush();
  publishTenantChange(services, tenant);
  services.metrics.provisioningDuration.observe((provisioning.completedAt.getTime() - provisioning.createdAt.getTime()) / 1000);
}

async function markFailed(services: AppServices, em: EntityManager, provisioning: Provisioning, reason: string): Promise<void> {
  provisioning.status = ProvisioningStatus.FAILED;
  provisioning.failureReason = reason;
  provisioning.tenant.status = TenantStatus.FAILED;
  provisioning.tenant.statusReason = reason;
  await em.flush();
  publishTenantChange(services, provisioning.tenant);
  services.metrics.provisioningFailed.inc();
}
