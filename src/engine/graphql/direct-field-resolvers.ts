import { GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type ParamMetadata = NonNullable<ReturnType<typeof getMetadataStorage>['fieldResolvers'][number]['params']>[number];
type DirectParam = 'root' | 'context' | 'info';

/** A parameter type-graphql would hand over as it is: the root (no conversion), the whole context, the info. */
function directParam(param: ParamMetadata): DirectParam | undefined {
  if (param.kind === 'info') return 'info';
  if (param.kind === 'context' && param.propertyName === undefined) return 'context';
  // A root declared with a class type is converted to an instance of it; a PlainRow<…> is reflected as Object.
  if (param.kind === 'root' && param.propertyName === undefined && (!param.getType || param.getType() === Object)) return 'root';
  return undefined;
}

function directCall(
  instance: Record<string, (...args: unknown[]) => unknown>,
  method: string,
  params: DirectParam[],
): GraphQLFieldResolver<unknown, unknown> {
  const call = instance[method]!.bind(instance);
  const pick = (name: DirectParam, root: unknown, context: unknown, info: unknown) =>
    name === 'root' ? root : name === 'context' ? context : info;
  if (params.length === 2)
    return (root, _args, context, info) => call(pick(params[0]!, root, context, info), pick(params[1]!, root, context, info));
  return (root, _args, context, info) => call(...params.map((name) => pick(name, root, context, info)));
}

/**
 * type-graphql calls every field resolver through its parameter machinery: per call an object for
 * the resolver data, a sort of the declared parameters and an array of their values. A page of 20
 * tasks does that 20 times per such field; on Q1 the sort alone is 5 % of what the request allocates.
 * A field resolver that takes only `@Root()` (passed as it is), `@Ctx()` and `@Info()`, with no
 * argument to validate, no middleware and no role, is called directly instead, on an instance of
 * its resolver class (they hold no state). Runs on the schema type-graphql built from `resolverClasses`,
 * before graphql-shield wraps it; returns the fields it rewired (`Type.field`).
 */
export function callFieldResolversDirectly(schema: GraphQLSchema, resolverClasses: readonly unknown[]): string[] {
  const rewired: string[] = [];
  const storage = getMetadataStorage();
  const instances = new Map<unknown, Record<string, (...args: unknown[]) => unknown>>();
  for (const resolver of storage.fieldResolvers) {
    if (!resolverClasses.includes(resolver.target)) continue;
    if (resolver.kind !== 'external' || resolver.middlewares?.length || resolver.roles?.length) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index).map(directParam);
    if (!params.every((param) => param !== undefined)) continue;
    const objectType = storage.objectTypes.find((type) => type.target === resolver.getObjectType?.());
    const type = objectType && schema.getType(objectType.name);
    if (!(type instanceof GraphQLObjectType)) continue;
    const field = type.getFields()[resolver.schemaName];
    if (!field?.resolve) continue;
    let instance = instances.get(resolver.target);
    if (!instance) {
      instance = new (resolver.target as new () => Record<string, (...args: unknown[]) => unknown>)();
      instances.set(resolver.target, instance);
    }
    field.resolve = directCall(instance, resolver.methodName, params);
    rewired.push(`${type.name}.${field.name}`);
  }
  return rewired;
}
