import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

const APPLICATION_JSON = 'application/json';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
/** Apollo's codes for a well-formed request whose document or variables GraphQL refused (not BAD_REQUEST: a malformed request stays 400). */
const GRAPHQL_REQUEST_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/** Media types chosen per `Accept` header: clients send few distinct ones; past the bound, a new one is negotiated each time. */
const chosenMediaTypes = new Map<string, string | undefined>();
const CHOSEN_MEDIA_TYPES_MAX = 256;

function mediaTypeFor(accept: string): string | undefined {
  if (chosenMediaTypes.has(accept)) return chosenMediaTypes.get(accept);
  const mediaType = new Negotiator({ headers: { accept } }).mediaType([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON]);
  if (chosenMediaTypes.size < CHOSEN_MEDIA_TYPES_MAX) chosenMediaTypes.set(accept, mediaType);
  return mediaType;
}

/**
 * GraphQL-over-HTTP status codes. A request error (the document does not parse, does not validate,
 * its variables do not coerce: Apollo answers 400 and no `data`) keeps its 4xx for clients that
 * accept `application/graphql-response+json`; a client that gets `application/json` (the legacy
 * media type, also the answer to no `Accept` header) gets 200 with the errors, as the spec says it
 * SHOULD (its clients cannot tell a proxy's 400 from a GraphQL one). The media type is chosen the
 * way Apollo chooses it, and set here so both decisions agree.
 */
export function graphqlResponseStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      return {
        async willSendResponse({ response, errors }) {
          if (response.body.kind !== 'single') return;
          const accept = request.http?.headers.get('accept');
          const mediaType = accept ? mediaTypeFor(accept) : APPLICATION_JSON;
          if (mediaType !== APPLICATION_JSON) return;
          response.http.headers.set('content-type', `${APPLICATION_JSON}; charset=utf-8`);
          const requestError =
            response.body.singleResult.data === undefined &&
            errors?.length &&
            errors.every((error) => GRAPHQL_REQUEST_ERRORS.has(String(error.extensions.code)));
          if (requestError && response.http.status === 400) response.http.status = 200;
        },
      };
    },
  };
}
