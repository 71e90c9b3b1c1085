import type { Role } from './roles.js';

/**
 * A caller that is not a person: a service authenticated by a credential such as an API key. It
 * acts in exactly one tenant with one role (never OWNER) and has no user row.
 */
export interface ServicePrincipal {
  readonly kind: 'apiKey';
  /** The credential's id (the API key's row), for rate limits, logs and audit data. */
  readonly id: string;
  readonly tenantId: string;
  readonly role: Role;
}

/**
 * An engine extension point: a module that issues credentials registers a resolver (as a module
 * service, `TesseraModule.credentialResolvers`), and the context factory asks it whenever a request
 * carries its header. The engine never knows how credentials are stored.
 */
export interface CredentialResolver {
  /** The lower-case request header that carries the credential, e.g. `x-api-key`. */
  readonly header: string;
  /** The principal the credential names; throws UnauthenticatedError for an unknown, revoked or expired one. */
  resolve(credential: string): Promise<ServicePrincipal>;
}
