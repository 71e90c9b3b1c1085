import { request } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  OutboundUrlError,
  parseOutboundUrl,
  PUBLIC_ADDRESSES_ONLY,
  resolveOutboundAddress,
  type AddressPolicy,
  type ResolvedAddress,
} from './outbound-url.js';

export interface OutboundRequestOptions {
  policy?: AddressPolicy;
  /** The whole exchange, connect to last byte read. */
  timeoutMs?: number;
  /** Response bytes read at most; the rest is discarded unread. */
  maxResponseBytes?: number;
  /** Extra trusted certificate authorities (a test stand-in's self-signed certificate). */
  ca?: string;
}

export interface OutboundResponse {
  status: number;
  body: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_RESPONSE_BYTES = 4_096;

/** A `lookup` that answers only the address we validated, so the socket cannot be rebound elsewhere. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * POSTs JSON to a URL a tenant gave us without letting it reach our own network (SSRF): https
 * only, every resolved address checked, the connection pinned to the checked address, redirects
 * never followed (a 3xx is a failure), a short overall timeout and a capped response read.
 * Throws OutboundUrlError for a refused URL and Error for a failed or non-2xx exchange.
 */
export async function postJson(rawUrl: string, payload: unknown, options: OutboundRequestOptions = {}): Promise<OutboundResponse> {
  const url = parseOutboundUrl(rawUrl);
  const pinned = await resolveOutboundAddress(url, options.policy ?? PUBLIC_ADDRESSES_ONLY);
  const body = JSON.stringify(payload);
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const response = await new Promise<OutboundResponse>((resolve, reject) => {
    const outgoing = request(
      {
        method: 'POST',
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Tessera' },
        lookup: pinnedLookup(pinned),
        agent: false,
        ca: options.ca,
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const finish = () => {
          incoming.destroy();
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, limit).toString('utf8') });
        };
        incoming.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          if (received >= limit) finish();
        });
        incoming.on('end', finish);
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  if (response.status >= 300 && response.status < 400) throw new OutboundUrlError(`Redirect (${response.status}) not followed`);
  if (response.status < 200 || response.status >= 300) throw new Error(`The endpoint answered ${response.status}`);
  return response;
}
