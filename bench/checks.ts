import type { LoadTenant } from './fixtures.js';
import { OPERATIONS, valueAt } from './operations.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

interface Edge {
  node: { id: string; createdAt: string; taskCount?: number; assignee?: { name: string } | null };
}

/**
 * Before any load: the three operations return the seeded data in the documented order, and
 * tenant A can neither read nor write tenant B's project (it looks missing).
 */
export async function runChecks(url: string, a: LoadTenant, b: LoadTenant): Promise<CheckResult[]> {
  const owner = a.members.find((member) => member.role === 'OWNER') ?? a.members[0];
  if (!owner) throw new Error(`Tenant ${a.id} has no members to run the checks as`);
  const post = async (document: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: document, variables }),
    });
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  };
  const results: CheckResult[] = [];
  /** `detail` is the GraphQL errors when there are any, else what the check counted. */
  const check = (name: string, ok: boolean, json: { errors?: unknown[] }, detail: string) =>
    results.push({ name, ok, detail: json.errors ? JSON.stringify(json.errors).slice(0, 200) : detail });
  const tenantNumber = a.slug.slice('tenant-'.length);

  const own = await post(OPERATIONS.q1.document, { id: a.projectIds[0] });
  const tasks = (valueAt(own, ['data', 'project', 'tasks', 'edges']) ?? []) as Edge[];
  const names = tasks.map((edge) => edge.node.assignee?.name).filter((name): name is string => Boolean(name));
  const totalTasks = valueAt(own, ['data', 'project', 'tasks', 'totalCount']);
  const sameTenant = names.every((name) => name.endsWith(`of tenant ${tenantNumber}`));
  check(
    'Q1: own project, 20 of 50 tasks newest first, 18 assignees of the same tenant',
    !own.errors && tasks.length === 20 && totalTasks === 50 && names.length === 18 && sameTenant && newestFirst(tasks),
    own,
    `tasks=${tasks.length}/${String(totalTasks)} assignees=${names.length} newestFirst=${newestFirst(tasks)}`,
  );

  const foreign = await post(OPERATIONS.q1.document, { id: b.projectIds[0] });
  const foreignProject = valueAt(foreign, ['data', 'project']);
  check(
    "Q1: another tenant's project is null",
    !foreign.errors && foreignProject === null,
    foreign,
    `project=${JSON.stringify(foreignProject)}`,
  );

  const list = await post(OPERATIONS.q2.document, {});
  const projects = (valueAt(list, ['data', 'projects', 'edges']) ?? []) as Edge[];
  const ownIds = new Set(a.projectIds);
  const allOwnWith50 = projects.every((edge) => ownIds.has(edge.node.id) && edge.node.taskCount === 50);
  check(
    'Q2: the 20 own projects newest first, 50 tasks each',
    !list.errors && projects.length === 20 && allOwnWith50 && newestFirst(projects),
    list,
    `projects=${projects.length} ownWith50=${allOwnWith50} newestFirst=${newestFirst(projects)}`,
  );

  const input = { projectId: a.projectIds[1], title: 'bench check', assigneeId: a.members[2]?.id };
  const created = await post(OPERATIONS.q3.document, { input });
  const createdIn = valueAt(created, ['data', 'createTask', 'project', 'id']);
  check('Q3: creates a task in an own project', !created.errors && createdIn === a.projectIds[1], created, `project=${String(createdIn)}`);

  const intrusion = await post(OPERATIONS.q3.document, { input: { ...input, projectId: b.projectIds[1] } });
  const intruded = valueAt(intrusion, ['data', 'createTask']);
  results.push({
    name: "Q3: refused in another tenant's project",
    ok: Boolean(intrusion.errors) && !intruded,
    detail: JSON.stringify(intrusion).slice(0, 200),
  });
  return results;
}

function newestFirst(edges: Edge[]): boolean {
  const times = edges.map((edge) => Date.parse(edge.node.createdAt));
  return times.every((time, i) => !Number.isNaN(time) && (i === 0 || (times[i - 1] ?? Number.NaN) >= time));
}
