import { derivedUuid } from '../../engine/graphql/uuid.js';
import { Notification } from '../notifications/notification.entity.js';
import { addProjectMember } from '../projects/project-members.js';
import { Project } from '../projects/project.entity.js';
import { Task } from '../tasks/task.entity.js';
import type { ProvisioningStepDefinition } from './provisioning-step.js';

const SAMPLE_TASKS = ['Invite your team', 'Create your first real project', 'Submit it for approval'];

/** A "Getting started" project with a few tasks for the owner, under ids derived from the run. */
export const sampleData: ProvisioningStepDefinition = {
  name: 'sample-data',
  async run({ em, provisioning }) {
    if (!provisioning.withSampleData) return 'SKIPPED';
    const projectId = derivedUuid(`${provisioning.id}:sample-project`);
    if (await em.count(Project, { id: projectId })) return 'COMPLETED';
    const ownerId = provisioning.ownerUserId;
    em.create(Project, {
      id: projectId,
      name: 'Getting started',
      description: 'A sample project: try the approval workflow, then archive it.',
      ownerId,
    });
    // Tasks reference the project by a plain column, so the ORM cannot order the inserts itself.
    await em.flush();
    SAMPLE_TASKS.forEach((title, index) =>
      em.create(Task, { id: derivedUuid(`${provisioning.id}:sample-task:${index}`), projectId, title, assigneeId: ownerId }),
    );
    await em.flush();
    await addProjectMember(em, projectId, ownerId);
    return 'COMPLETED';
  },
};

/** An in-app welcome for the owner (the first thing their notification list shows). */
export const welcomeNotification: ProvisioningStepDefinition = {
  name: 'welcome-notification',
  async run({ em, provisioning, tenant }) {
    const id = derivedUuid(`${provisioning.id}:welcome`);
    if (await em.count(Notification, { id })) return 'COMPLETED';
    em.create(Notification, {
      id,
      userId: provisioning.ownerUserId,
      kind: 'tenant.welcome',
      title: `Welcome to ${tenant.name}`,
      body: 'Your workspace is ready. Invite your team from the members page.',
      data: { tenantId: tenant.id },
    });
    return 'COMPLETED';
  },
};
