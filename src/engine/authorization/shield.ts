import type { GraphQLSchema } from 'graphql';
import { deny, shield, type IRules } from 'graphql-shield';
import { applyMiddleware, type IMiddleware, type IMiddlewareFieldMap } from 'graphql-middleware';
import type { RuleMap, TesseraModule } from '../module.js';
import { fallbackError } from './rules.js';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/** Every module's rules, merged; a root field missing here is denied. */
export function ruleTreeOf(modules: readonly TesseraModule[]): RuleMap {
  return mergeRules(modules.map((module) => module.rules ?? {}));
}

function mergeRules(maps: readonly RuleMap[]): RuleMap {
  const merged: RuleMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      for (const field of Object.keys(fields)) {
        if (merged[type]?.[field]) throw new Error(`Two rules for ${type}.${field}`);
      }
      merged[type] = { ...merged[type], ...fields };
    }
  }
  return merged;
}

/**
 * graphql-shield, deny by default, on every root field and on the fields of types that have rules
 * of their own. Other object fields are reachable only through a guarded root field, so they are
 * not wrapped: shield creates one promise per wrapped field, which is measurable on large lists.
 */
export function applyPermissions(schema: GraphQLSchema, modules: readonly TesseraModule[]): GraphQLSchema {
  const ruleTree = ruleTreeOf(modules);
  const generator = shield(ruleTree as IRules, { fallbackRule: deny, fallbackError, allowExternalErrors: true });
  const guarded = new Set([...ROOT_TYPES, ...Object.keys(ruleTree)]);
  const everyType = generator.generate(schema) as Record<string, IMiddlewareFieldMap>;
  const middleware = Object.fromEntries(Object.entries(everyType).filter(([type]) => guarded.has(type)));
  return applyMiddleware(schema, middleware as IMiddleware);
}
