import type { IncomingMessage } from 'node:http';

/**
 * The client's address for rate limits and logs. With `trustedHops` = 0 (the default) it is the
 * socket's peer: any X-Forwarded-For a client sends is ignored. With N trusted reverse proxies in
 * front, it is the address the outermost trusted proxy saw: the N-th entry from the right of
 * X-Forwarded-For (entries further left are the client's own claims and never believed).
 */
export function clientAddress(request: IncomingMessage, trustedHops: number): string | undefined {
  const peer = request.socket.remoteAddress;
  if (trustedHops === 0) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  // Nearest first: the peer, then each proxy's view of the one before it.
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(trustedHops, chain.length - 1)];
}
