import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../src/engine/identity/roles.js';
import { Comment } from '../src/modules/comments/comment.entity.js';
import { addProjectMember } from '../src/modules/projects/project-members.js';
import { Project } from '../src/modules/projects/project.entity.js';
import { ProjectStatus } from '../src/modules/projects/project.enums.js';
import { Task } from '../src/modules/tasks/task.entity.js';
import { TaskStatus } from '../src/modules/tasks/task.enums.js';
import type { DemoTenant } from './demo-data.js';

interface DemoTask {
  title: string;
  status: TaskStatus;
  assignee?: Role;
  dueInDays?: number;
  comments: [author: Role, body: string][];
}

interface DemoProject {
  name: string;
  description: string;
  status: ProjectStatus;
  owner: Role;
  tasks: DemoTask[];
}

const { TODO, IN_PROGRESS, DONE } = TaskStatus;
const { OWNER, MANAGER, MEMBER } = Role;

/** One project in most workflow states, so every transition can be tried on the demo data. */
const DEMO_PROJECTS: DemoProject[] = [
  {
    name: 'Website relaunch',
    description: 'New marketing site, blog and documentation.',
    status: ProjectStatus.ACTIVE,
    owner: MANAGER,
    tasks: [
      { title: 'Design the landing page', status: DONE, assignee: MEMBER, comments: [[MANAGER, 'Looks great, ship it.']] },
      {
        title: 'Move the blog posts',
        status: IN_PROGRESS,
        assignee: MEMBER,
        dueInDays: 14,
        comments: [
          [MEMBER, 'Half of the posts are moved.'],
          [MANAGER, 'Keep the old URLs working.'],
        ],
      },
      { title: 'Set up redirects', status: TODO, assignee: MANAGER, dueInDays: 21, comments: [] },
    ],
  },
  {
    name: 'Customer portal',
    description: 'Self-service invoices and support tickets.',
    status: ProjectStatus.SUBMITTED,
    owner: MEMBER,
    tasks: [
      { title: 'Write the proposal', status: DONE, assignee: MEMBER, comments: [[OWNER, 'Please add a budget.']] },
      { title: 'Estimate the effort', status: TODO, comments: [] },
    ],
  },
  {
    name: 'Quarterly planning',
    description: 'Goals and staffing for next quarter.',
    status: ProjectStatus.DRAFT,
    owner: MEMBER,
    tasks: [{ title: 'Collect team goals', status: IN_PROGRESS, assignee: MEMBER, dueInDays: 7, comments: [] }],
  },
  {
    name: 'Office move',
    description: 'Move to the new building.',
    status: ProjectStatus.COMPLETED,
    owner: OWNER,
    tasks: [{ title: 'Book the movers', status: DONE, assignee: MANAGER, comments: [[OWNER, 'Done, thanks!']] }],
  },
  {
    name: 'Legacy CRM',
    description: 'Keep the old CRM running another year.',
    status: ProjectStatus.REJECTED,
    owner: MEMBER,
    tasks: [],
  },
];

const MINUTE = 60_000;

function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * MINUTE).toISOString().slice(0, 10);
}

/** The demo projects of one tenant with tasks, assignees and comments; run in that tenant's transaction. */
export async function seedDemoProjects(em: EntityManager, tenant: DemoTenant): Promise<void> {
  const userId = (role: Role) => tenant.users.find((user) => user.role === role)!.id;
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE);
  // Oldest first, so the list shows them newest first in the order above.
  const projects = DEMO_PROJECTS.map((demo, index) => {
    const createdAt = at((DEMO_PROJECTS.length - index) * 60);
    const project = em.create(Project, {
      name: demo.name,
      description: demo.description,
      status: demo.status,
      ownerId: userId(demo.owner),
      createdAt,
      updatedAt: createdAt,
    });
    return { demo, project };
  });
  await em.flush();

  const tasks = projects.flatMap(({ demo, project }) =>
    demo.tasks.map((demoTask, index) => {
      const createdAt = new Date(project.createdAt.getTime() + (index + 1) * MINUTE);
      const task = em.create(Task, {
        projectId: project.id,
        title: demoTask.title,
        status: demoTask.status,
        assigneeId: demoTask.assignee ? userId(demoTask.assignee) : null,
        dueDate: demoTask.dueInDays === undefined ? null : daysFromNow(demoTask.dueInDays),
        createdAt,
        updatedAt: createdAt,
      });
      return { demoTask, task };
    }),
  );
  await em.flush();

  for (const { demoTask, task } of tasks) {
    demoTask.comments.forEach(([author, body], index) => {
      const createdAt = new Date(task.createdAt.getTime() + (index + 1) * 1000);
      em.create(Comment, { taskId: task.id, authorId: userId(author), body, createdAt });
    });
  }
  await em.flush();

  for (const { demo, project } of projects) await addProjectMember(em, project.id, userId(demo.owner));
  for (const { task } of tasks) if (task.assigneeId) await addProjectMember(em, task.projectId, task.assigneeId);
}
