import { expect } from 'chai';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { callFieldResolversDirectly } from '../../src/engine/graphql/direct-field-resolvers.js';
import { buildTypeSchema } from '../../src/engine/graphql/schema.js';
import { modules } from '../../src/modules/index.js';

/** How the fields of the hot lists are resolved: per row, type-graphql's wrappers cost allocations. */
describe('field resolution of list rows', () => {
  let schema: GraphQLSchema;

  before(async () => {
    schema = await buildTypeSchema(modules);
  });

  const resolverOf = (typeName: string, field: string) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    return type.getFields()[field]?.resolve;
  };

  it('reads the plain fields of tasks, projects and users as properties, inherited ones included', () => {
    const wrapped = [
      ['Task', ['id', 'createdAt', 'title', 'status']],
      ['Project', ['id', 'createdAt', 'name', 'status']],
      ['User', ['id', 'name']],
    ].flatMap(([type, fields]) =>
      (fields as string[]).filter((field) => resolverOf(type as string, field) !== undefined).map((field) => `${type as string}.${field}`),
    );
    expect(wrapped).to.deep.equal([]);
  });

  it('calls directly exactly the field resolvers whose parameters it passes as type-graphql would', () => {
    const rewired = callFieldResolversDirectly(
      schema,
      modules.flatMap((module) => module.resolvers ?? []),
    );
    // Only the row, the context and the info: called directly.
    expect(rewired).to.include.members(['Task.assignee', 'Task.project', 'Project.taskCount', 'Project.owner', 'Comment.author']);
    // Arguments to validate (a page bound), or a root converted to its entity class: left to type-graphql.
    for (const field of ['Project.tasks', 'Task.comments', 'Membership.tenant']) expect(rewired).to.not.include(field);
  });
});
