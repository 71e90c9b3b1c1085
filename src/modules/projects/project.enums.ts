import { registerEnumType } from 'type-graphql';

/** Where a project stands in the approval workflow (project-workflow.ts says who may move it). */
export enum ProjectStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(ProjectStatus, {
  name: 'ProjectStatus',
  description: 'Where a project stands in the approval workflow (transitionProject moves it).',
  valuesConfig: {
    DRAFT: { description: 'Being written; not yet submitted.' },
    SUBMITTED: { description: 'Waiting for a manager to approve or reject it.' },
    APPROVED: { description: 'Approved; not started yet.' },
    REJECTED: { description: 'Rejected by a manager; can be reworked.' },
    ACTIVE: { description: 'Work is under way.' },
    COMPLETED: { description: 'Done.' },
    ARCHIVED: { description: 'Kept for the record; no longer worked on.' },
  },
});
