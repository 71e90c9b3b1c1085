import type { Configuration } from '@mikro-orm/core';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Kysely,
  PostgresDialect,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * BEGIN without a round trip of its own. Kysely sends `begin` as soon as a transaction starts and
 * waits for it; here the driver only remembers it and sends it with the transaction's first
 * statement. A session setting without parameters (the tenant session's `select set_config(…)`,
 * written and validated in `tenancy/tenant-session.ts` only) travels in the same simple-protocol
 * message, `begin; select set_config(…)`, held until the transaction's first other statement, so
 * opening a request's RLS transaction costs one round trip instead of two, and a query operation,
 * known only after the session was opened, can still start it `READ ONLY`. Any other first statement is preceded by the BEGIN on its own, as before. A
 * transaction that ends before any statement sends nothing at all.
 */
const pendingBegin = new WeakMap<DatabaseConnection, string>();
const patched = new WeakSet<DatabaseConnection>();

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
  const streamQuery = connection.streamQuery.bind(connection);
  const flushBegin = async (): Promise<void> => {
    const begin = pendingBegin.get(connection);
    if (begin === undefined) return;
    pendingBegin.delete(connection);
    await executeQuery(CompiledQuery.raw(begin));
  };
  connection.executeQuery = async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    const begin = pendingBegin.get(connection);
    if (begin === undefined) return executeQuery<R>(query);
    pendingBegin.delete(connection);
    if (query.parameters.length === 0 && MERGEABLE.test(query.sql)) {
      // Held with the BEGIN and sent, as one message, before the transaction's first other
      // statement: until then the access mode may still change (`startReadOnly`). Its rows are
      // never returned: a session setting's are not needed.
      pendingBegin.set(connection, `${begin}; ${query.sql}`);
      return { rows: [] };
    }
    await executeQuery(CompiledQuery.raw(begin));
    return executeQuery<R>(query);
  };
  connection.streamQuery = async function* <R>(query: CompiledQuery, chunkSize: number) {
    await flushBegin();
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
  return true;
}

function deferBegin(driver: Driver): Driver {
  const acquireConnection = driver.acquireConnection.bind(driver);
  const commitTransaction = driver.commitTransaction.bind(driver);
  const rollbackTransaction = driver.rollbackTransaction.bind(driver);
  driver.acquireConnection = async (...args) => {
    const connection = await acquireConnection(...args);
    deferBeginOn(connection);
    // A pooled connection starts clean: a BEGIN never sent belongs to nobody.
    pendingBegin.delete(connection);
    return connection;
  };
  driver.beginTransaction = async (connection, settings) => {
    pendingBegin.set(connection, beginSql(settings));
  };
  driver.commitTransaction = async (connection) => {
    if (pendingBegin.delete(connection)) return;
    await commitTransaction(connection);
  };
  driver.rollbackTransaction = async (connection) => {
    if (pendingBegin.delete(connection)) return;
    await rollbackTransaction(connection);
  };
  return driver;
}

class DeferredBeginConnection extends PostgreSqlConnection {
  override createKyselyDialect(overrides: Parameters<PostgreSqlConnection['createKyselyDialect']>[0]): PostgresDialect {
    const dialect = super.createKyselyDialect(overrides);
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
