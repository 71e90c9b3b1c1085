import { ForbiddenError, InvalidTransitionError } from '../../engine/graphql/errors.js';
import { Role, roleAtLeast } from '../../engine/identity/roles.js';
import { ProjectStatus } from './project.enums.js';

export interface ProjectTransition {
  readonly from: ProjectStatus;
  readonly to: ProjectStatus;
  readonly minimumRole: Role;
}

const { DRAFT, SUBMITTED, APPROVED, REJECTED, ACTIVE, COMPLETED, ARCHIVED } = ProjectStatus;

/**
 * The approval workflow, part of the API contract: a member drafts and submits, a manager approves or
 * rejects, work runs ACTIVE to COMPLETED, and anything but an archived project may be archived.
 * Every allowed move and the least role that may make it.
 */
export const PROJECT_TRANSITIONS: readonly ProjectTransition[] = [
  { from: DRAFT, to: SUBMITTED, minimumRole: Role.MEMBER },
  { from: SUBMITTED, to: APPROVED, minimumRole: Role.MANAGER },
  { from: SUBMITTED, to: REJECTED, minimumRole: Role.MANAGER },
  { from: REJECTED, to: DRAFT, minimumRole: Role.MEMBER },
  { from: APPROVED, to: ACTIVE, minimumRole: Role.MANAGER },
  { from: ACTIVE, to: COMPLETED, minimumRole: Role.MANAGER },
  ...Object.values(ProjectStatus)
    .filter((from) => from !== ARCHIVED)
    .map((from) => ({ from, to: ARCHIVED, minimumRole: Role.OWNER })),
];

/** The table's entry for (from, to), if the move exists at all. */
export function findTransition(from: ProjectStatus, to: ProjectStatus): ProjectTransition | undefined {
  return PROJECT_TRANSITIONS.find((transition) => transition.from === from && transition.to === to);
}

/** INVALID_TRANSITION for a move the table lacks, FORBIDDEN for one the role is too low for. */
export function assertTransitionAllowed(from: ProjectStatus, to: ProjectStatus, role: Role | null): void {
  const transition = findTransition(from, to);
  if (!transition) throw new InvalidTransitionError(from, to);
  if (!roleAtLeast(role, transition.minimumRole)) throw new ForbiddenError();
}

/** The statuses `role` may move a project in `from` to. */
export function transitionsFor(from: ProjectStatus, role: Role | null): ProjectStatus[] {
  return PROJECT_TRANSITIONS.filter((t) => t.from === from && roleAtLeast(role, t.minimumRole)).map((t) => t.to);
}
