import type { Configuration, EntityManager } from '@mikro-orm/core';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Writable } from 'node:stream';
import type { Pool, PoolClient, PoolConfig } from 'pg';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Kysely,
  PostgresDialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { namedStatement, positional, useNamedStatements } from './named-statements.js';

/**
 * BEGIN without a round trip of its own. Kysely sends `begin` as soon as a transaction starts and
 * waits for it; here the driver only remembers it and sends it in the same simple-protocol message
 * as the transaction's first statement. A session setting (the tenant session's
 * `select set_config(…)`, written and validated in `tenancy/tenant-session.ts` only) is held with
 * it until the first other statement, so a request's RLS transaction costs no round trip before
 * its first read: `begin; select set_config(…); select … from tasks …` is one message and one
 * answer, and a query operation, known only after the session was opened, can still start it
 * `READ ONLY`. A first statement with bound parameters (a prepared compiled read) cannot share a
 * simple-protocol message: the BEGIN is queued on its own right before it. A transaction that
 * ends before any statement sends nothing at all.
 */
const pendingBegin = new WeakMap<DatabaseConnection, string>();
/**
 * Writes whose result nobody reads (`holdWrite`), held to leave in the same socket write as the
 * transaction's next statement, or its COMMIT: `insert into job_outbox …` and `commit` are one
 * round trip. They are prepared statements queued in pg's pipeline right before that statement, so
 * their values are never inlined and PostgreSQL plans them once per connection. PostgreSQL runs
 * them in order; after a refused write the transaction is aborted, so nothing later in it
 * commits (a COMMIT then rolls back), and the write's error is the one reported (`inOrder`).
 */
const heldWrites = new WeakMap<DatabaseConnection, CompiledQuery[]>();
/**
 * The COMMIT of a READ ONLY transaction, owed by its connection after the pool took it back: it
 * leaves in the same message as the connection's next statement, whoever sends it (a BEGIN, as a
 * rule), or after `OWED_COMMIT_MS` on its own, whichever comes first. Committing a read changes
 * nothing and cannot be refused, so nobody waits for it: the request answers without that round
 * trip. Until it leaves, the transaction keeps its table locks (ACCESS SHARE) and its local
 * settings, which nothing else sees: every statement on the connection goes after it.
 */
const owedCommit = new WeakSet<DatabaseConnection>();
const readOnlyTransaction = new WeakSet<DatabaseConnection>();
/**
 * The READ ONLY request transaction (`startReadOnly`) each connection is in, until its COMMIT or
 * ROLLBACK: a read of it may be sent without waiting its turn (`sendRead`). Keyed by connection
 * and compared by transaction, so a read of a transaction that ended never reaches the
 * connection's next holder.
 */
const readingTransaction = new WeakMap<DatabaseConnection, Kysely<unknown>>();
const connectionOfReading = new WeakMap<Kysely<unknown>, DatabaseConnection>();
const OWED_COMMIT_MS = 50;
const owing = new Set<DatabaseConnection>();
const sendUnheld = new WeakMap<DatabaseConnection, (query: CompiledQuery) => Promise<QueryResult<unknown>>>();
const patched = new WeakSet<DatabaseConnection>();

/** What a connection holds back for its next statement: a text of its own (an owed COMMIT, an unsent BEGIN), then writes. */
interface Held {
  readonly text: string | undefined;
  readonly writes: readonly CompiledQuery[];
}

/** The owed COMMIT, unsent BEGIN and held writes of `connection`, taken off it; undefined when there are none. */
function takeHeld(connection: DatabaseConnection): Held | undefined {
  const owed = owedCommit.delete(connection) ? 'commit' : undefined;
  const begin = pendingBegin.get(connection);
  const writes = heldWrites.get(connection) ?? [];
  if (owed === undefined && begin === undefined && writes.length === 0) return undefined;
  pendingBegin.delete(connection);
  heldWrites.delete(connection);
  const text = owed !== undefined && begin !== undefined ? `${owed}; ${begin}` : (owed ?? begin);
  return { text, writes };
}

/** Resolves once every one of `sent` has; rejects with the first failure in the order they were sent. */
async function inOrder(sent: readonly Promise<unknown>[]): Promise<void> {
  for (const answer of sent) answer.catch(() => undefined);
  for (const answer of sent) await answer;
}

/** Leaves the read-only transaction of `connection` to be committed with its next statement (`owedCommit`). */
function oweCommit(connection: DatabaseConnection): void {
  owedCommit.add(connection);
  if (owing.size === 0) setTimeout(sendOwedCommits, OWED_COMMIT_MS).unref();
  owing.add(connection);
}

/** Sends the COMMITs no statement took along in time, so no read holds its locks for longer. */
function sendOwedCommits(): void {
  for (const connection of owing) {
    // A statement sent since took it along; a connection ended since ended its transaction too.
    if (!owedCommit.delete(connection)) continue;
    const send = sendUnheld.get(connection);
    void send?.(CompiledQuery.raw('commit')).catch(() => undefined);
  }
  owing.clear();
}

/** Only statements that return no rows may share the message (pg returns one result per statement). */
const MERGEABLE = /^\s*(set\s|select set_config\()/i;

function beginSql(settings: TransactionSettings): string {
  if (!settings.isolationLevel && !settings.accessMode) return 'begin';
  // Kysely validated both against its fixed lists before calling the driver.
  return ['start transaction', settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode]
    .filter(Boolean)
    .join(' ');
}

function deferBeginOn(connection: DatabaseConnection): void {
  if (patched.has(connection)) return;
  patched.add(connection);
  const executeQuery = connection.executeQuery.bind(connection);
  sendUnheld.set(connection, executeQuery);
  const streamQuery = connection.streamQuery.bind(connection);
  /** Queues what `held` holds, in order, in this tick: whatever the caller queues next in it leaves in the same write. */
  const sendHeld = (held: Held): Promise<unknown>[] => [
    ...(held.text === undefined ? [] : [executeQuery(CompiledQuery.raw(held.text))]),
    ...held.writes.map((write) => executeQuery(write)),
  ];
  connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    const begin = pendingBegin.get(connection);
    if (begin !== undefined && !heldWrites.has(connection) && query.parameters.length === 0 && MERGEABLE.test(query.sql)) {
      // Held with the BEGIN and sent, as one message, before the transaction's first other
      // statement: until then the access mode may still change (`startReadOnly`). Its rows are
      // never returned: a session setting's are not needed.
      pendingBegin.set(connection, `${begin}; ${query.sql}`);
      return { rows: [] };
    }
    const held = takeHeld(connection);
    if (held === undefined) return executeQuery<R>(query);
    if (held.writes.length === 0 && query.parameters.length === 0) {
      // One message; the client answers with its last statement's result (`answerWithLastResult`).
      return executeQuery<R>(Object.freeze({ ...query, sql: `${held.text}; ${query.sql}` }));
    }
    // All queued at once: the statement follows what was held on the wire without a turn of ours between.
    const sent = sendHeld(held);
    const answer = executeQuery<R>(query);
    await inOrder([...sent, answer]);
    return answer;
  };
  connection.streamQuery = async function* <R>(query: CompiledQuery, chunkSize: number) {
    const held = takeHeld(connection);
    if (held !== undefined) await inOrder(sendHeld(held));
    yield* streamQuery<R>(query, chunkSize);
  };
}

/**
 * Makes a transaction whose BEGIN is still unsent `READ ONLY` (PostgreSQL then refuses any write
 * in it). Returns false, changing nothing, once a statement has been sent.
 */
export async function startReadOnly(trx: Kysely<unknown>): Promise<boolean> {
  const connection = await trx.getExecutor().provideConnection(async (held) => held);
  const begin = pendingBegin.get(connection);
  if (begin === undefined || !/^begin\b/.test(begin)) return false;
  pendingBegin.set(connection, begin.replace(/^begin\b/, 'start transaction read only'));
  readOnlyTransaction.add(connection);
  readingTransaction.set(connection, trx);
  connectionOfReading.set(trx, connection);
  return true;
}

/**
 * Runs `query`, a read of `trx`, now. Kysely sends a transaction's statements one after another,
 * each once the previous one is answered; a read of a READ ONLY request transaction instead goes
 * straight to its connection, whose pg client pipelines it behind the statement in flight: a
 * child page started with its parent's read (`child-prefetch.ts`) leaves in the same round trip.
 * Reads change nothing, so their order among themselves does not matter; they still run in the
 * transaction, before its COMMIT. Any other statement takes Kysely's way.
 */
export function sendRead<R>(trx: Kysely<unknown>, query: CompiledQuery): Promise<QueryResult<R>> {
  const connection = connectionOfReading.get(trx);
  if (connection !== undefined && readingTransaction.get(connection) === trx) return connection.executeQuery<R>(query);
  return trx.executeQuery<R>(query);
}

/**
 * Sends `sql` (MikroORM's `?` placeholders) with `em`'s transaction's next statement or its COMMIT
 * instead of in a round trip of its own, as a prepared statement with `params`, counted as
 * MikroORM counts what `em.execute` sends. For writes whose result nobody reads and that no other
 * process waits for before the commit (a job's enqueue); they still run in order, before anything
 * the transaction sends after them. `em` must be in a transaction.
 */
export async function holdWrite(em: EntityManager, sql: string, params: readonly unknown[]): Promise<void> {
  const trx = em.getTransactionContext<Kysely<unknown>>();
  if (!trx) throw new Error('holdWrite needs a transaction');
  const text = positional(em.config.get('onQuery')(sql, params as unknown[]));
  if (text === undefined) throw new Error('holdWrite takes values only, no identifiers');
  const connection = await trx.getExecutor().provideConnection(async (held) => held);
  heldWrites.set(connection, [...(heldWrites.get(connection) ?? []), namedStatement(text, params)]);
}

function deferBegin(driver: Driver): Driver {
  const acquireConnection = driver.acquireConnection.bind(driver);
  const commitTransaction = driver.commitTransaction.bind(driver);
  const rollbackTransaction = driver.rollbackTransaction.bind(driver);
  driver.acquireConnection = async (...args) => {
    const connection = await acquireConnection(...args);
    deferBeginOn(connection);
    // A pooled connection starts clean: a BEGIN or write never sent belongs to nobody. A COMMIT
    // still owed stays owed: it goes before anything of the new holder's.
    pendingBegin.delete(connection);
    heldWrites.delete(connection);
    return connection;
  };
  driver.beginTransaction = async (connection, settings) => {
    pendingBegin.set(connection, beginSql(settings));
    if (settings.accessMode === 'read only') readOnlyTransaction.add(connection);
    else readOnlyTransaction.delete(connection);
  };
  driver.commitTransaction = async (connection) => {
    readingTransaction.delete(connection);
    // Nothing sent and nothing held: there is nothing to commit.
    if (!heldWrites.has(connection) && pendingBegin.delete(connection)) return;
    if (readOnlyTransaction.has(connection) && !heldWrites.has(connection)) return oweCommit(connection);
    // Kysely's COMMIT goes through `executeQuery` above, which sends what is held with it.
    await commitTransaction(connection);
  };
  driver.rollbackTransaction = async (connection) => {
    readingTransaction.delete(connection);
    heldWrites.delete(connection);
    if (pendingBegin.delete(connection)) return;
    await rollbackTransaction(connection);
  };
  return driver;
}

/**
 * pg answers a message of several statements with one result per statement; Kysely reads one.
 * Only the deferred BEGIN above sends several, and the caller's statement is the last of them.
 */
function answerWithLastResult(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const answer = query(...args);
    if (!(answer instanceof Promise)) return answer;
    return answer.then((result: unknown): unknown => (Array.isArray(result) ? (result as unknown[]).at(-1) : result));
  };
}

/**
 * Statements queued on a connection in the same tick leave in one socket write: the pool's clients
 * run in pg's pipeline mode, which sends a query as soon as it is queued instead of after the
 * previous answer, and the socket is corked from the tick's first query until the tick ends. A
 * BEGIN queued right before a parameterised first statement, and held writes with the statement
 * or COMMIT after them, cost one write instead of several.
 */
function coalesceWritesOfATick(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const { stream } = (client as unknown as { connection: { stream: Writable } }).connection;
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  (client as { query: unknown }).query = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return query(...args);
  };
}

/** MikroORM's dialect overrides: pool options, and a hook its implementation calls with the new pool (not in its typings). */
type DialectOverrides = PoolConfig & { onPoolCreated?: (pool: Pool) => unknown };

class DeferredBeginConnection extends PostgreSqlConnection {
  override createKyselyDialect(overrides: DialectOverrides = {}): PostgresDialect {
    const withHook: DialectOverrides = {
      ...overrides,
      pipeline: true,
      onPoolCreated: (pool) => {
        pool.on('connect', (client) => {
          answerWithLastResult(client);
          useNamedStatements(client);
          coalesceWritesOfATick(client);
        });
        return overrides.onPoolCreated?.(pool);
      },
    };
    const dialect = super.createKyselyDialect(withHook);
    const createDriver = dialect.createDriver.bind(dialect);
    dialect.createDriver = () => deferBegin(createDriver());
    return dialect;
  }
}

/** MikroORM's PostgreSQL driver with the deferred BEGIN above (`driver` in the ORM options). */
export class DeferredBeginPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: PostgreSqlConnection }).connection = new DeferredBeginConnection(this.config);
  }
}
