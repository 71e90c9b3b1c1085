import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './rls.js';

const PROJECT_STATUSES = `'DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'ACTIVE', 'COMPLETED', 'ARCHIVED'`;
const TASK_STATUSES = `'TODO', 'IN_PROGRESS', 'DONE'`;

/**
 * The project-management domain: projects, their members, tasks and comments. Every reference is a
 * composite foreign key through tenant_id, so no row can point at another tenant's row; a user is
 * referenced through memberships (tenant_id, user_id), so it must be a member of the same tenant.
 * Removing a member unassigns their tasks and keeps their projects and comments without an author.
 * Timestamps keep milliseconds only: that is what a keyset cursor (a JS Date) can carry.
 */
export class Migration20261123000100_projects extends Migration {
  override async up(): Promise<void> {
    const statements = [
      `create table projects (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        name text not null check (length(name) between 1 and 200),
        description text check (length(description) <= 5000),
        status text not null default 'DRAFT' check (status in (${PROJECT_STATUSES})),
        owner_id uuid,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        primary key (tenant_id, id),
        foreign key (tenant_id, owner_id) references memberships (tenant_id, user_id) on delete set null (owner_id)
      )`,
      `create index projects_tenant_created_idx on projects (tenant_id, created_at desc, id desc)`,
      `create index projects_tenant_status_created_idx on projects (tenant_id, status, created_at desc, id desc)`,
      `create index projects_tenant_owner_idx on projects (tenant_id, owner_id)`,
      ...tenantTableSecurity('projects'),

      `create table project_members (
        tenant_id uuid not null references tenants (id),
        project_id uuid not null,
        user_id uuid not null,
        added_at timestamptz(3) not null default now(),
        primary key (tenant_id, project_id, user_id),
        foreign key (tenant_id, project_id) references projects (tenant_id, id) on delete cascade,
        foreign key (tenant_id, user_id) references memberships (tenant_id, user_id) on delete cascade
      )`,
      `create index project_members_tenant_user_idx on project_members (tenant_id, user_id)`,
      ...tenantTableSecurity('project_members'),

      `create table tasks (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        project_id uuid not null,
        title text not null check (length(title) between 1 and 200),
        description text check (length(description) <= 5000),
        status text not null default 'TODO' check (status in (${TASK_STATUSES})),
        assignee_id uuid,
        due_date date,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        primary key (tenant_id, id),
        foreign key (tenant_id, project_id) references projects (tenant_id, id) on delete cascade,
        foreign key (tenant_id, assignee_id) references memberships (tenant_id, user_id) on delete set null (assignee_id)
      )`,
      `create index tasks_tenant_project_created_idx on tasks (tenant_id, project_id, created_at desc, id desc)`,
      `create index tasks_tenant_assignee_idx on tasks (tenant_id, assignee_id) where assignee_id is not null`,
      ...tenantTableSecurity('tasks'),

      `create table comments (
        tenant_id uuid not null references tenants (id),
        id uuid not null,
        task_id uuid not null,
        author_id uuid,
        body text not null check (length(body) between 1 and 10000),
        created_at timestamptz(3) not null default now(),
        primary key (tenant_id, id),
        foreign key (tenant_id, task_id) references tasks (tenant_id, id) on delete cascade,
        foreign key (tenant_id, author_id) references memberships (tenant_id, user_id) on delete set null (author_id)
      )`,
      `create index comments_tenant_task_created_idx on comments (tenant_id, task_id, created_at desc, id desc)`,
      `create index comments_tenant_author_idx on comments (tenant_id, author_id) where author_id is not null`,
      ...tenantTableSecurity('comments'),
    ];
    for (const statement of statements) this.addSql(statement);
  }
}
