import { Role } from '../../engine/identity/roles.js';

/**
 * Who may hand out or take away which role: an OWNER any role, a MANAGER only MEMBER and VIEWER
 * (so a manager can never create or remove a peer or a superior).
 */
export function canManageRole(actor: Role | null | undefined, role: Role): boolean {
  if (actor === Role.OWNER) return true;
  return actor === Role.MANAGER && (role === Role.MEMBER || role === Role.VIEWER);
}
