import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ParseOptions, ValidationRule } from 'graphql';
import { singleCredentialMutation } from './credential-mutations.js';

/** Limits on what one document may ask for; the deepest legitimate query we serve has depth 11. */
export const QUERY_LIMITS = {
  maxDepth: 14,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2_000,
  costLimit: 5_000,
} as const;

/**
 * graphql-armor's depth, cost, alias, directive and token limits (every environment, so tests
 * see what production does), and in production no field suggestions that map the schema.
 */
export function queryLimits(production: boolean): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
} {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // Enforced by graphql-js's own parser (parseOptions): armor's token plugin turns syntax errors into 500s.
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.costLimit },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as ApolloServerPlugin[],
    validationRules: [...validationRules, singleCredentialMutation],
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
  };
}
