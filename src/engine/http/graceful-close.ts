import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/** How long the listener keeps accepting after the stop begins (requests already sent get in). */
const LISTEN_GRACE_MS = 300;
/** How long a connection accepted just before the listener closed has to send its request. */
const ACCEPTED_GRACE_MS = 200;
/** After this, requests still running are cut off (the process must exit eventually). */
const DRAIN_LIMIT_MS = 10_000;

/**
 * Stops an HTTP server without cutting off a request already sent: it answers every later response
 * with `Connection: close`, keeps accepting briefly (connections still in the kernel's backlog
 * would be reset by closing the listener), stops listening, waits for the requests in flight
 * (and for connections accepted just before to send theirs), then closes what is left.
 * (`http.Server.close` ends every connection without a request at once, including ones whose
 * request is still on the wire: their clients see "socket hang up".)
 * Call `track` right after creating the server.
 */
export function gracefulClose(server: Server): { track(): void; close(): Promise<void> } {
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;
  return {
    track() {
      server.on('request', (_req, res) => {
        inFlight++;
        if (closing) res.setHeader('connection', 'close');
        res.once('close', () => {
          inFlight--;
          if (inFlight === 0) idle?.();
        });
      });
    },
    async close() {
      closing = true;
      await new Promise((resolve) => setTimeout(resolve, LISTEN_GRACE_MS));
      // Only the listening socket: connections already accepted stay open.
      NetServer.prototype.close.call(server);
      await new Promise((resolve) => setTimeout(resolve, ACCEPTED_GRACE_MS));
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise((resolve) => setTimeout(resolve, DRAIN_LIMIT_MS)),
        ]);
      }
      server.closeIdleConnections();
    },
  };
}
