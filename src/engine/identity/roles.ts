import { registerEnumType } from 'type-graphql';

export enum Role {
  OWNER = 'OWNER',
  MANAGER = 'MANAGER',
  MEMBER = 'MEMBER',
  VIEWER = 'VIEWER',
}

registerEnumType(Role, {
  name: 'Role',
  description: "A member's role in a tenant; each includes the rights of the roles below it.",
  valuesConfig: {
    OWNER: { description: 'Everything, including the tenant itself: plan, settings, lifecycle, owners.' },
    MANAGER: { description: 'Runs the work: approves projects, manages members and invites.' },
    MEMBER: { description: 'Does the work: creates projects, tasks and comments.' },
    VIEWER: { description: 'Reads only.' },
  },
});

const RANK: Record<Role, number> = { VIEWER: 1, MEMBER: 2, MANAGER: 3, OWNER: 4 };

/** True when `role` is `minimum` or above it (OWNER > MANAGER > MEMBER > VIEWER). */
export function roleAtLeast(role: Role | null | undefined, minimum: Role): boolean {
  return role != null && RANK[role] >= RANK[minimum];
}
