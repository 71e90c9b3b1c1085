import DataLoader from 'dataloader';
import type { LoaderFactory } from '../../engine/graphql/loaders.js';
import { findRows, type PlainRow } from '../../engine/graphql/plain-rows.js';
import { Project } from './project.entity.js';

/** Projects by id as plain rows (fields only read them), within the request's tenant: one statement per batch. */
export const projectsById: LoaderFactory<string, PlainRow<Project> | null> = (em) =>
  new DataLoader(async (ids) => {
    const rows = await findRows(em, Project, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
