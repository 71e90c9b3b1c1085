import { expect } from 'chai';
import { isObjectType } from 'graphql';
import { ruleTreeOf } from '../../src/engine/authorization/shield.js';
import { modules } from '../../src/modules/index.js';
import { buildTypeSchema } from '../../src/engine/graphql/schema.js';

describe('authorization coverage', () => {
  const ruleTree = ruleTreeOf(modules);

  it('every Query, Mutation and Subscription field of the schema has an explicit rule', async () => {
    const schema = await buildTypeSchema(modules);
    const missing: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      if (!root || !isObjectType(root)) continue;
      for (const field of Object.keys(root.getFields())) {
        if (!ruleTree[root.name]?.[field]) missing.push(`${root.name}.${field}`);
      }
    }
    expect(missing, 'root fields without a rule are denied by default, but must be decided explicitly').to.deep.equal([]);
  });

  it('has no rule for a field that does not exist (a renamed field would otherwise lose its rule silently)', async () => {
    const schema = await buildTypeSchema(modules);
    const stale: string[] = [];
    for (const [typeName, fields] of Object.entries(ruleTree)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) {
        stale.push(typeName);
        continue;
      }
      for (const field of Object.keys(fields)) if (field !== '*' && !type.getFields()[field]) stale.push(`${typeName}.${field}`);
    }
    expect(stale).to.deep.equal([]);
  });
});
