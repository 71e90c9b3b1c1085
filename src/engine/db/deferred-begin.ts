import type { Configuration } from '@mikro-orm/core';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { CompiledQuery, type DatabaseConnection, PostgresDialect, type Driver, type QueryResult, type TransactionSettings } from 'kysely';

/**
 * BEGIN without a round trip of its own. Kysely sends `begin` as soon as a transaction starts and
 * waits for it; here the driver only remembers it and sends it with the transaction's first
 * statement. A session setting without parameters (the tenant session's `select set_config(…)`,
 * written and validated in `tenancy/tenant-session.ts` only) travels in the same simple-protocol
 * message, `begin; select set_config(…)`, so opening a request's RLS transaction costs one round trip
 * instead of two. Any other first statement is preceded by the BEGIN on its own, as before. A
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
      // The rows of a multi-statement message are not returned: a session setting's are not needed.
      await executeQuery(CompiledQuery.raw(`${begin}; ${query.sql}`));
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
