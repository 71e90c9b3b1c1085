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

registerEnumType(ProjectStatus, { name: 'ProjectStatus' });
