import type { Pool, PoolClient } from 'pg';

/**
 * Gives the pool back the slot of a checked-out connection that PostgreSQL dropped (restart,
 * crash, network). Kysely releases a transaction's connection only after its COMMIT or ROLLBACK
 * succeeds, which can never happen on a dead socket: without this, every request in flight during
 * an outage would leak its slot and the pool would stay exhausted after PostgreSQL came back.
 */
export function releaseDroppedConnections(pool: Pool): void {
  const checkedOut = new Set<PoolClient>();
  pool.on('acquire', (client) => checkedOut.add(client));
  pool.on('release', (_error, client) => checkedOut.delete(client));
  pool.on('remove', (client) => checkedOut.delete(client as PoolClient));
  pool.on('connect', (client) => {
    const dropped = (error?: Error) => {
      const held = client as PoolClient;
      if (!checkedOut.has(held)) return;
      checkedOut.delete(held);
      held.release(error ?? new Error('Connection ended'));
    };
    client.on('error', dropped);
    client.on('end', () => dropped());
  });
}
