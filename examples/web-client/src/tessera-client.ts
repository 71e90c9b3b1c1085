import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';

/** A generated document (client/generated, client-preset): typed, and carrying its trusted-document id. */
type TrustedDocument<TResult, TVariables> = TypedDocumentNode<TResult, TVariables> & { __meta__?: { hash?: string } };

export class TesseraError extends Error {
  constructor(readonly errors: { message: string; extensions?: { code?: string } }[]) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
    this.name = 'TesseraError';
  }
}

function documentIdOf(document: { __meta__?: { hash?: string } }): string {
  const id = document.__meta__?.hash;
  if (!id) throw new Error('Not a trusted document: run `npm run codegen` (client-preset with persistedDocuments)');
  return id;
}

/**
 * A framework-free Tessera client for browsers (and Node 22, which has `fetch` and `WebSocket`):
 * operations travel by trusted-document id only, so it works against a gateway with
 * TRUSTED_DOCUMENTS=required; results are typed by the generated documents.
 */
export class TesseraClient {
  private token: string | undefined;
  private socket: Client | undefined;

  constructor(private readonly url: string) {}

  /** The bearer token of later operations (from `login` or `provisionTenant`). */
  useToken(token: string | undefined): void {
    this.token = token;
    void this.socket?.dispose();
    this.socket = undefined;
  }

  /** Runs a query or mutation over HTTP. */
  async execute<TResult, TVariables>(document: TrustedDocument<TResult, TVariables>, variables?: TVariables): Promise<TResult> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json;q=0.9',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ documentId: documentIdOf(document), variables: variables ?? {} }),
    });
    const body = (await response.json()) as { data?: TResult | null; errors?: TesseraError['errors'] };
    if (body.errors?.length || !body.data) throw new TesseraError(body.errors ?? [{ message: `HTTP ${response.status}` }]);
    return body.data;
  }

  /** Follows a subscription over graphql-ws; `onEvent` returns true to stop. Resolves when stopped or completed. */
  follow<TResult, TVariables>(
    document: TrustedDocument<TResult, TVariables>,
    variables: TVariables,
    onEvent: (data: TResult) => boolean | void,
  ): Promise<void> {
    this.socket ??= createClient({
      url: this.url.replace(/^http/, 'ws'),
      lazy: true,
      retryAttempts: 0,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
    const socket = this.socket;
    const hash = documentIdOf(document).replace(/^sha256:/, '');
    return new Promise((resolve, reject) => {
      const stop = socket.subscribe<TResult>(
        { query: '', variables: variables as Record<string, unknown>, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } },
        {
          next: (value) => {
            if (value.errors?.length) return reject(new TesseraError(value.errors as TesseraError['errors']));
            if (value.data && onEvent(value.data as TResult)) {
              stop();
              resolve();
            }
          },
          error: (error: unknown) =>
            reject(
              Array.isArray(error)
                ? new TesseraError(error as TesseraError['errors'])
                : error instanceof Error
                  ? error
                  : new Error('The subscription failed', { cause: error }),
            ),
          complete: resolve,
        },
      );
    });
  }

  async close(): Promise<void> {
    await this.socket?.dispose();
    this.socket = undefined;
  }
}
