import { randomBytes } from 'node:crypto';
import {
  AddCommentDocument,
  CreateProjectDocument,
  CreateTaskDocument,
  type CreateTaskInput,
  type ProjectStatus,
} from '../generated/graphql.js';
import { execute, ok } from './client.js';
import { adminQuery } from './sql.js';

/** A DRAFT project created through the API by the holder of `token`; returns its id. */
export async function createProject(token: string, name = `Project ${randomBytes(3).toString('hex')}`): Promise<string> {
  return ok(await execute(CreateProjectDocument, { input: { name } }, { token })).createProject!.id;
}

/** A task created through the API; returns its id. */
export async function createTask(token: string, projectId: string, input: Partial<CreateTaskInput> = {}): Promise<string> {
  const title = input.title ?? `Task ${randomBytes(3).toString('hex')}`;
  return ok(await execute(CreateTaskDocument, { input: { ...input, projectId, title } }, { token })).createTask!.id;
}

/** A comment added through the API; returns its id. */
export async function addComment(token: string, taskId: string, body = 'A comment'): Promise<string> {
  return ok(await execute(AddCommentDocument, { input: { taskId, body } }, { token })).addComment!.id;
}

/** Puts a project straight into `status` (below the API), to start a workflow test from there. */
export async function setProjectStatus(projectId: string, status: ProjectStatus): Promise<void> {
  await adminQuery('update projects set status = $1 where id = $2', [status, projectId]);
}
