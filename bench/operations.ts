import { pick, type LoadMember, type LoadTenant } from './fixtures.js';
import type { LoadRequest } from './load.js';

export type OperationKey = 'q1' | 'q2' | 'q3';

/** One benchmarked GraphQL operation: its document, a random request, and the shape a response must have. */
export interface Operation {
  key: OperationKey;
  label: string;
  document: string;
  /** The variables and the caller (whose token is sent) of one request. */
  variables(tenant: LoadTenant, seq: number): { caller: LoadMember; variables: Record<string, unknown> };
  check(json: unknown): string | null;
}

const Q1 = `query Q1($id: ID!) {
  project(id: $id) {
    id name status createdAt
    tasks(first: 20) { totalCount edges { cursor node { id title status createdAt assignee { name } } } }
  }
}`;

const Q2 = `query Q2 {
  projects(first: 20) { edges { node { id name status createdAt taskCount } } }
}`;

const Q3 = `mutation Q3($input: CreateTaskInput!) {
  createTask(input: $input) { id title status project { id } }
}`;

/** Assigning a task to someone else takes MANAGER, so Q3 is sent by an OWNER or a MANAGER. */
const ASSIGNERS = new Set(['OWNER', 'MANAGER']);

export const OPERATIONS: Record<OperationKey, Operation> = {
  q1: {
    key: 'q1',
    label: 'Q1 project + first 20 tasks + assignee names',
    document: Q1,
    variables: (tenant) => ({ caller: pick(tenant.members), variables: { id: pick(tenant.projectIds) } }),
    check: (json) => lengthAt(json, ['data', 'project', 'tasks', 'edges'], 20),
  },
  q2: {
    key: 'q2',
    label: 'Q2 first 20 projects + task counts',
    document: Q2,
    variables: (tenant) => ({ caller: pick(tenant.members), variables: {} }),
    check: (json) => lengthAt(json, ['data', 'projects', 'edges'], 20),
  },
  q3: {
    key: 'q3',
    label: 'Q3 createTask',
    document: Q3,
    variables: (tenant, seq) => ({
      caller: pick(tenant.members.filter((member) => ASSIGNERS.has(member.role))),
      variables: { input: { projectId: pick(tenant.projectIds), title: `bench task ${seq}`, assigneeId: pick(tenant.members).id } },
    }),
    check: (json) => (typeof valueAt(json, ['data', 'createTask', 'id']) === 'string' ? null : 'data.createTask.id is missing'),
  },
};

/** A request source for the load: a random tenant of `tenants` per request. */
export function requestSource(operation: Operation, tenants: LoadTenant[]): () => LoadRequest {
  let seq = 0;
  const prefix = `{"query":${JSON.stringify(operation.document)},"variables":`;
  return () => {
    const { caller, variables } = operation.variables(pick(tenants), ++seq);
    return { headers: { authorization: `Bearer ${caller.token}` }, body: `${prefix}${JSON.stringify(variables)}}` };
  };
}

export function valueAt(json: unknown, path: string[]): unknown {
  let current = json;
  for (const key of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function lengthAt(json: unknown, path: string[], expected: number): string | null {
  const value = valueAt(json, path);
  const length = Array.isArray(value) ? value.length : undefined;
  return length === expected ? null : `${path.join('.')} has ${length ?? 'no'} items, expected ${expected}`;
}
