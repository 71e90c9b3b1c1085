import type { AnyEntity, EntityClass } from '@mikro-orm/core';
import type { Router } from 'express';
import type { OperationTypeNode } from 'graphql';
import type { IRules } from 'graphql-shield';
import type { ChildCount } from './graphql/child-counts.js';
import type { ChildPrefetch } from './graphql/child-prefetch.js';
import type { CredentialResolver } from './identity/credentials.js';
import type { RequestContext } from './context.js';
import { spend } from './http/rate-limit.js';
import type { TenantTask } from './jobs/worker.js';
import type { AppServices } from './services.js';

/** Shield rules of a module: `{ Query: { projects: isViewer }, Project: { … } }`. */
export type RuleMap = Record<string, Record<string, Extract<IRules, { [key: string]: unknown }>[string]>>;

/**
 * A process-wide singleton a module needs (a dispatcher, a provider client), created on first use
 * from the engine's services and closed with them. Nothing tenant-related lives in one.
 */
export interface ServiceKey<T> {
  readonly name: string;
  create(services: AppServices): T;
  close?(instance: T): Promise<void>;
}

/** Declares a module service; read it with `services.get(key)`. */
export function defineService<T>(
  name: string,
  create: (services: AppServices) => T,
  close?: (instance: T) => Promise<void>,
): ServiceKey<T> {
  return { name, create, close };
}

/**
 * What a feature contributes to the gateway. `src/modules/index.ts` lists every module once; the
 * ORM's entity list, the GraphQL schema, the shield rule tree and the job task list derive from it.
 */
export interface TesseraModule {
  readonly name: string;
  readonly entities?: readonly EntityClass<AnyEntity>[];
  // type-graphql resolver classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly resolvers?: readonly Function[];
  readonly rules?: RuleMap;
  readonly tasks?: (services: AppServices) => Record<string, TenantTask>;
  /** Services created eagerly at start (others are created on first `services.get`). */
  readonly services?: readonly ServiceKey<unknown>[];
  /** Credentials other than a bearer token (API keys) that the context factory accepts. */
  readonly credentialResolvers?: readonly ServiceKey<CredentialResolver>[];
  /**
   * Runs before every operation of an authenticated caller in a tenant (HTTP and graphql-ws),
   * after the operation is parsed and validated. Throwing refuses the operation (quotas).
   */
  readonly onOperation?: (ctx: RequestContext, operation: OperationTypeNode) => Promise<void> | void;
  /** Counts of this module's rows per row of another module's lists (`Project.taskCount`), read in the list's statement. */
  readonly childCounts?: readonly ChildCount[];
  /** Reads of this module's rows below another module's single row (`project(id) { tasks }`), started with that row's read. */
  readonly childPrefetches?: readonly ChildPrefetch[];
  /** HTTP routes outside GraphQL (webhooks), mounted before the GraphQL body parser. */
  readonly routes?: (services: AppServices) => Router;
}

/**
 * Admits an operation of an authenticated caller in a tenant (a user or an API key), before it
 * runs: a user's operations are rate-limited per tenant and user (API keys per key, where the key
 * is resolved), then every module's `onOperation` hook runs (the monthly API-call quota).
 */
export async function admitOperation(ctx: RequestContext, operation: OperationTypeNode): Promise<void> {
  if (!ctx.tenant || !(ctx.userId || ctx.principal)) return;
  if (ctx.userId) await spend(ctx.services.rateLimits.caller, `${ctx.tenant.id}:${ctx.userId}`, ctx.responseHeaders);
  // Only the modules with a hook are awaited: an await of nothing still costs a promise and a turn.
  for (const module of ctx.services.modules) if (module.onOperation) await module.onOperation(ctx, operation);
}

/** Each module list's declarations by kind, collected once: a process's module list never changes. */
const declarations = new WeakMap<readonly TesseraModule[], Map<DeclarationKind, readonly unknown[]>>();

type DeclarationKind = 'credentialResolvers' | 'childCounts' | 'childPrefetches';

/** What the modules declare under `kind` (`credentialResolvers`, `childCounts`, `childPrefetches`), every module's together. */
export function declaredBy<K extends DeclarationKind>(modules: readonly TesseraModule[], kind: K): NonNullable<TesseraModule[K]> {
  let byKind = declarations.get(modules);
  if (!byKind) {
    byKind = new Map();
    declarations.set(modules, byKind);
  }
  let declared = byKind.get(kind);
  if (!declared) {
    declared = modules.flatMap((module): readonly unknown[] => module[kind] ?? []);
    byKind.set(kind, declared);
  }
  return declared as NonNullable<TesseraModule[K]>;
}

/** Declares a module (checked with `satisfies`-like strictness through the parameter type). */
export function defineModule(module: TesseraModule): TesseraModule {
  return module;
}
