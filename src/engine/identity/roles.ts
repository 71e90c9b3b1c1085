import { registerEnumType } from 'type-graphql';

export enum Role {
  OWNER = 'OWNER',
  MANAGER = 'MANAGER',
  MEMBER = 'MEMBER',
  VIEWER = 'VIEWER',
}

registerEnumType(Role, { name: 'Role' });

const RANK: Record<Role, number> = { VIEWER: 1, MEMBER: 2, MANAGER: 3, OWNER: 4 };

/** True when `role` is `minimum` or above it (OWNER > MANAGER > MEMBER > VIEWER). */
export function roleAtLeast(role: Role | null | undefined, minimum: Role): boolean {
  return role != null && RANK[role] >= RANK[minimum];
}
