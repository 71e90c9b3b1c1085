import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { testEnv } from '../setup/environment.js';

/** A graphql-ws client on the test gateway; credentials go in connectionParams like a browser's. */
export function wsClient(token?: string, params: Record<string, string> = {}, url = testEnv().server.url): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { ...params, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

/** Runs a query or mutation over the socket and returns its single result. */
export function wsQuery<T = unknown>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: T; errors?: unknown[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T; errors?: unknown[] } = {};
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (result = value as { data?: T; errors?: unknown[] }),
        // graphql-ws reports a closed socket as its CloseEvent; callers assert on that event as is.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
        complete: () => resolve(result),
      },
    );
  });
}
