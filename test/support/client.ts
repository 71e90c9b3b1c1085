import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { expect } from 'chai';
import { print } from 'graphql';
import { testEnv } from '../setup/environment.js';
import { itemAt } from './lists.js';

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Defaults to /graphql; e.g. /t/acme/graphql. */
  path?: string;
}

/** POSTs an operation to the running gateway over real HTTP. */
export async function request<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const url = new URL(options.path ?? '/graphql', testEnv().server.url);
  // A current GraphQL-over-HTTP client: request errors keep their 4xx (application/json would answer 200).
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json;q=0.9',
    ...options.headers,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLErrorBody[] };
  return { status: response.status, ...body };
}

/** A typed operation from test/generated (codegen). */
export function execute<T, V extends Record<string, unknown>>(
  document: TypedDocumentNode<T, V>,
  variables?: V,
  options?: RequestOptions,
): Promise<GraphQLResponse<T>> {
  return request<T>(print(document), variables ?? {}, options);
}

/** The data of a response that must have succeeded. */
export function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors, JSON.stringify(response.errors)).to.equal(undefined);
  expect(response.status).to.equal(200);
  return response.data as T;
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/** Asserts one error with `code` and no data leaked alongside it. */
export function expectError(response: GraphQLResponse<unknown>, code: string): GraphQLErrorBody {
  expect(codes(response), JSON.stringify(response)).to.deep.equal([code]);
  return itemAt(response.errors ?? [], 0);
}
