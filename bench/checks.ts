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
  const post = async (document: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: document, variables }),
    });
    return (await response.json()) as { data?: unknown; errors?: unknown[] };
  };
  const results: CheckResult[] = [];
  const check = (name: string, ok: boolean, detail: string) => results.push({ name, ok, detail });
  const tenantNumber = a.slug.slice('tenant-'.length);

  const own = await post(OPERATIONS.q1.document, { id: a.projectIds[0] });
  const tasks = (valueAt(own, ['data', 'project', 'tasks', 'edges']) ?? []) as Edge[];
  const names = tasks.map((edge) => edge.node.assignee?.name).filter((name): name is string => Boolean(name));
  check(
    'Q1: own project, 20 of 50 tasks newest first, 18 assignees of the same tenant',
    !own.errors && tasks.length === 20 && valueAt(own, ['data', 'project', 'tasks', 'totalCount']) === 50 &&
      names.length === 18 && names.every((name) => name.endsWith(`of tenant ${tenantNumber}`)) && newestFirst(tasks),
    own.errors ? JSON.stringify(own.errors).slice(0, 200) : `tasks=${tasks.length} assignees=${names.length} newestFirst=${newestFirst(tasks)}`,
  );

  const foreign = await post(OPERATIONS.q1.document, { id: b.projectIds[0] });
  check("Q1: another tenant's project is null", !foreign.errors && valueAt(foreign, ['data', 'project']) === null, JSON.stringify(foreign).slice(0, 200));

  const list = await post(OPERATIONS.q2.document, {});
  const projects = (valueAt(list, ['data', 'projects', 'edges']) ?? []) as Edge[];
  const ownIds = new Set(a.projectIds);
  check(
    'Q2: the 20 own projects newest first, 50 tasks each',
    !list.errors && projects.length === 20 && projects.every((edge) => ownIds.has(edge.node.id) && edge.node.taskCount === 50) && newestFirst(projects),
    list.errors ? JSON.stringify(list.errors).slice(0, 200) : `projects=${projects.length} newestFirst=${newestFirst(projects)}`,
  );

  const input = { projectId: a.projectIds[1], title: 'bench check', assigneeId: a.members[2].id };
  const created = await post(OPERATIONS.q3.document, { input });
  check('Q3: creates a task in an own project', !created.errors && valueAt(created, ['data', 'createTask', 'project', 'id']) === a.projectIds[1], JSON.stringify(created).slice(0, 200));

  const intrusion = await post(OPERATIONS.q3.document, { input: { ...input, projectId: b.projectIds[1] } });
  check("Q3: refused in another tenant's project", Boolean(intrusion.errors) && !valueAt(intrusion, ['data', 'createTask']), JSON.stringify(intrusion).slice(0, 200));
  return results;
}

function newestFirst(edges: Edge[]): boolean {
  const times = edges.map((edge) => Date.parse(edge.node.createdAt));
  return times.every((time, i) => !Number.isNaN(time) && (i === 0 || times[i - 1] >= time));
}
