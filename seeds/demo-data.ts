import { Role } from '../src/engine/identity/roles.js';
import { PlanCode } from '../src/engine/tenancy/tenant.enums.js';

/** Fixed ids so docs, tests and printed tokens stay stable across machines. */
export const DEMO_PASSWORD = 'tessera-demo-password';

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface DemoTenant {
  id: string;
  slug: string;
  name: string;
  plan: PlanCode;
  users: DemoUser[];
}

function usersOf(slug: string, prefix: string): DemoUser[] {
  return [Role.OWNER, Role.MANAGER, Role.MEMBER, Role.VIEWER].map((role, index) => ({
    id: `${prefix}-0000-4000-8000-00000000000${index + 1}`,
    email: `${role.toLowerCase()}@${slug}.example.com`,
    name: `${slug.charAt(0).toUpperCase()}${slug.slice(1)} ${role.charAt(0)}${role.slice(1).toLowerCase()}`,
    role,
  }));
}

export const DEMO_TENANTS: DemoTenant[] = [
  {
    id: '0a000000-0000-4000-8000-000000000001',
    slug: 'acme',
    name: 'Acme Corporation',
    plan: PlanCode.PRO,
    users: usersOf('acme', '0a000001'),
  },
  {
    id: '0b000000-0000-4000-8000-000000000001',
    slug: 'globex',
    name: 'Globex',
    plan: PlanCode.FREE,
    users: usersOf('globex', '0b000001'),
  },
];

export const DEMO_PLATFORM_OPERATOR = {
  id: '0f000000-0000-4000-8000-000000000001',
  email: 'operator@tessera.example.com',
  name: 'Platform Operator',
};
