import { existsSync, readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, parse } from 'graphql';
import { PersistedQueryNotFoundError, TrustedDocumentRequiredError, type AppError } from '../graphql/errors.js';
import { requestLogStore } from '../observability/logger.js';
import type { RequestContext } from '../context.js';
import { sendJson, type HttpStep } from './graphql-http.js';

export type TrustedDocumentsMode = 'required' | 'allowed' | 'off';

export interface TrustedDocument {
  readonly document: string;
  /** The operation's name in the manifest: the only operation label a trusted request gets. */
  readonly name: string;
}

/** What a request names: a document id (client-preset `documentId`, or Apollo's persisted-query hash), or none. */
export interface DocumentRequest {
  documentId?: unknown;
  query?: unknown;
  extensions?: unknown;
}

/**
 * The trusted documents (persisted operations) of the gateway: the manifests written at build time
 * by `@graphql-codegen/client-preset` (`persisted-documents.json`: `"sha256:<hex>"` -> document).
 */
export class TrustedDocuments {
  private constructor(
    readonly mode: TrustedDocumentsMode,
    private readonly byId: ReadonlyMap<string, TrustedDocument>,
  ) {}

  /**
   * Reads the manifests. Where trusted documents are enforced a missing or malformed manifest stops
   * the start; with `off` a missing one only means that ids are unknown.
   */
  static load(mode: TrustedDocumentsMode, manifestPaths: readonly string[]): TrustedDocuments {
    const byId = new Map<string, TrustedDocument>();
    for (const path of manifestPaths) {
      if (mode === 'off' && !existsSync(path)) continue;
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
      for (const [id, document] of Object.entries(manifest)) byId.set(id, { document, name: operationName(document) });
    }
    return new TrustedDocuments(mode, byId);
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Resolves a request's document. Returns the trusted document it names, `undefined` for a request
   * with its own document that the mode lets through (the operator check of `allowed` comes later,
   * once the caller is known), or the error to answer.
   */
  resolve(request: DocumentRequest): TrustedDocument | undefined | AppError {
    const id = documentIdOf(request);
    if (id === undefined) return this.mode === 'required' ? new TrustedDocumentRequiredError() : undefined;
    if (this.mode === 'off' && typeof request.query === 'string' && request.query.length > 0) return undefined;
    return this.byId.get(id) ?? new PersistedQueryNotFoundError();
  }
}

function documentIdOf(request: DocumentRequest): string | undefined {
  if (typeof request.documentId === 'string') return request.documentId;
  const hash = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? `sha256:${hash}` : undefined;
}

function operationName(document: string): string {
  const operation = parse(document).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operation?.name?.value ?? 'anonymous';
}

/**
 * The operation label of the current request when it ran a trusted document (its manifest name),
 * `undefined` otherwise: metrics and logs label by it, never by a client-supplied string.
 */
export function trustedOperationLabel(): string | undefined {
  return requestLogStore.getStore()?.trusted_document;
}

/**
 * A step before Apollo: a request naming a trusted document (POST body or GET
 * parameters `documentId`, or `extensions.persistedQuery.sha256Hash`) gets the manifest's document
 * as its `query`; an unknown id, or a document of its own where only trusted ones run, is refused.
 */
export function trustedDocumentsMiddleware(trusted: TrustedDocuments): HttpStep {
  return (req, res, next) => {
    const get = req.method === 'GET';
    const url = get ? new URL(req.url ?? '/', 'http://gateway') : undefined;
    let request: DocumentRequest;
    if (url) {
      let extensions: unknown;
      try {
        extensions = JSON.parse(url.searchParams.get('extensions') ?? 'null');
      } catch {
        extensions = undefined;
      }
      request = {
        documentId: url.searchParams.get('documentId') ?? undefined,
        query: url.searchParams.get('query') ?? undefined,
        extensions,
      };
    } else if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) {
      request = req.body as DocumentRequest;
    } else {
      return next();
    }
    const resolved = trusted.resolve(request);
    if (resolved === undefined) return next();
    if (!('document' in resolved)) {
      sendJson(res, 400, { errors: [{ message: resolved.message, extensions: { code: resolved.code } }] });
      return;
    }
    const fields = requestLogStore.getStore();
    if (fields) fields.trusted_document = resolved.name;
    if (url) {
      url.searchParams.delete('documentId');
      url.searchParams.delete('extensions');
      url.searchParams.set('query', resolved.document);
      req.url = `${url.pathname}${url.search}`;
    } else {
      const body = req.body as Record<string, unknown>;
      delete body.documentId;
      delete body.extensions;
      body.query = resolved.document;
    }
    next();
  };
}

/** `allowed`: a document of the caller's own runs only for an authenticated platform operator. */
export function trustedDocumentsPlugin(trusted: TrustedDocuments): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      if (trusted.mode !== 'allowed') return;
      return {
        async didResolveOperation({ contextValue }) {
          if (trustedOperationLabel() === undefined && !contextValue.user?.isPlatformAdmin) throw new TrustedDocumentRequiredError();
        },
      };
    },
  };
}
