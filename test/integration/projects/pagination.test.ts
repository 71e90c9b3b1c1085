import { expect } from 'chai';
import { ProjectsDocument, ProjectTaskPagesDocument, ProjectTasksDocument, TaskCommentsDocument } from '../../generated/graphql.js';
import { execute, ok } from '../../support/client.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { addComment, createProject, createTask } from '../../support/projects.js';
import { itemAt } from '../../support/lists.js';

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor?: string | null };
  edges: { cursor: string; node: { id: string } }[];
}

/** Follows endCursor page by page and checks every page's counts and flags on the way. */
async function walk(fetchPage: (after?: string) => Promise<Page>, total: number, size: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let index = 0; ; index++) {
    const page = await fetchPage(after);
    expect(page.totalCount).to.equal(total);
    expect(page.edges).to.have.length(Math.min(size, total - seen.length));
    expect(page.pageInfo.hasPreviousPage).to.equal(index > 0);
    seen.push(...page.edges.map((edge) => edge.node.id));
    expect(page.pageInfo.hasNextPage).to.equal(seen.length < total);
    if (!page.pageInfo.hasNextPage) return seen;
    expect(page.pageInfo.endCursor).to.equal(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor!;
  }
}

describe('pagination of projects, tasks and comments (newest first)', () => {
  let tenant: TestTenant;
  const projectIds: string[] = [];
  const taskIds: string[] = [];
  const commentIds: string[] = [];

  before(async () => {
    tenant = await provisionTenant('pages');
    for (let i = 0; i < 7; i++) projectIds.push(await createProject(tenant.token, `Project ${i}`));
    for (let i = 0; i < 5; i++) taskIds.push(await createTask(tenant.token, itemAt(projectIds, 0)));
    for (let i = 0; i < 4; i++) commentIds.push(await addComment(tenant.token, itemAt(taskIds, 0), `Comment ${i}`));
    for (const ids of [projectIds, taskIds, commentIds]) ids.reverse();
  });

  it('projects: first/after/hasNextPage/totalCount across pages of 3', async () => {
    const pages = (after?: string) =>
      execute(ProjectsDocument, { first: 3, after }, { token: tenant.token }).then((response) => ok(response).projects!);
    expect(await walk(pages, 7, 3)).to.deep.equal(projectIds);
  });

  it('a project’s tasks: pages of 2', async () => {
    const pages = (after?: string) =>
      execute(ProjectTasksDocument, { id: projectIds.at(-1)!, first: 2, after }, { token: tenant.token }).then(
        (response) => ok(response).project!.tasks,
      );
    expect(await walk(pages, 5, 2)).to.deep.equal(taskIds);
  });

  it('a task’s comments: pages of 3', async () => {
    const pages = (after?: string) =>
      execute(TaskCommentsDocument, { id: taskIds.at(-1)!, first: 3, after }, { token: tenant.token }).then(
        (response) => ok(response).task!.comments,
      );
    expect(await walk(pages, 4, 3)).to.deep.equal(commentIds);
  });

  it('the default page is 20, and first: 0 returns no edges but the count', async () => {
    const all = ok(await execute(ProjectsDocument, {}, { token: tenant.token })).projects!;
    expect(all.edges).to.have.length(7);
    const none = ok(await execute(ProjectsDocument, { first: 0 }, { token: tenant.token })).projects!;
    expect(none).to.deep.include({ totalCount: 7, edges: [] });
    expect(none.pageInfo.hasNextPage).to.equal(true);
  });

  it('nested pages with different arguments in one request do not mix (the batch key holds first and after)', async () => {
    const first = ok(await execute(ProjectTasksDocument, { id: projectIds.at(-1)!, first: 2 }, { token: tenant.token }));
    const after = first.project!.tasks.pageInfo.endCursor!;
    const project = ok(await execute(ProjectTaskPagesDocument, { id: projectIds.at(-1)!, after }, { token: tenant.token })).project!;
    const ids = (page: { edges: { node: { id: string } }[] }) => page.edges.map((edge) => edge.node.id);
    expect(ids(project.one)).to.deep.equal(taskIds.slice(0, 1));
    expect(ids(project.three)).to.deep.equal(taskIds.slice(0, 3));
    expect(ids(project.rest)).to.deep.equal(taskIds.slice(2));
    expect(project.rest).to.deep.include({ totalCount: 5, pageInfo: { hasNextPage: false, hasPreviousPage: true } });
  });
});
