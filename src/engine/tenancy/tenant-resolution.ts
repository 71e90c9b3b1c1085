import { TenantMismatchError, TenantNotFoundError } from '../graphql/errors.js';
import { isUuid } from '../graphql/uuid.js';
import type { TenantDirectory } from './tenant-directory.js';
import type { Tenant } from './tenant.entity.js';
import { TenantStatus } from './tenant.enums.js';

/** The places a request may name its tenant (token claim, API key, header, subdomain, path). */
export interface TenantHints {
  tokenTenantId?: string;
  /** The tenant of a service credential (an API key). */
  credentialTenantId?: string;
  headerTenantId?: string;
  headerSlug?: string;
  subdomain?: string;
  pathSlug?: string;
}

type Headers = Record<string, string | string[] | undefined>;

const NOT_YET_SERVED = new Set([TenantStatus.PROVISIONING, TenantStatus.FAILED]);

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

/** The tenant-naming parts of a request that are not credentials. */
export function tenantHintsFromHeaders(headers: Headers, baseDomain?: string, pathSlug?: string): TenantHints {
  return {
    headerTenantId: single(headers['x-tenant-id']),
    headerSlug: single(headers['x-tenant-slug'])?.toLowerCase(),
    subdomain: baseDomain ? subdomainOf(single(headers.host), baseDomain) : undefined,
    pathSlug: pathSlug?.toLowerCase(),
  };
}

function subdomainOf(host: string | undefined, baseDomain: string): string | undefined {
  const name = host?.toLowerCase().replace(/:\d+$/, '');
  if (!name || !name.endsWith(`.${baseDomain}`)) return undefined;
  return name.slice(0, -(baseDomain.length + 1)) || undefined;
}

/**
 * Resolves every named source and refuses the request when they do not all name the same served
 * tenant. "Never existed", "deleted" and "not provisioned" look the same (TENANT_NOT_FOUND); any
 * disagreement, including with an unknown name, is TENANT_MISMATCH.
 */
export async function resolveTenant(hints: TenantHints, directory: TenantDirectory): Promise<Tenant | null> {
  const lookups: Promise<Tenant | null>[] = [];
  const byId = (id: string | undefined) => {
    if (id !== undefined) lookups.push(isUuid(id) ? directory.byId(id.toLowerCase()) : Promise.resolve(null));
  };
  // The owner's sign-up token names a tenant still being provisioned (or whose provisioning failed):
  // it authenticates the owner, who may watch the provisioning, but resolves no tenant.
  const tokenTenant = isUuid(hints.tokenTenantId) ? await directory.byId(hints.tokenTenantId.toLowerCase()) : null;
  if (!(tokenTenant && NOT_YET_SERVED.has(tokenTenant.status) && !tokenTenant.deletedAt)) byId(hints.tokenTenantId);
  byId(hints.credentialTenantId);
  byId(hints.headerTenantId);
  if (hints.headerSlug !== undefined) lookups.push(directory.bySlug(hints.headerSlug));
  if (hints.subdomain !== undefined) lookups.push(directory.bySubdomain(hints.subdomain));
  if (hints.pathSlug !== undefined) lookups.push(directory.bySlug(hints.pathSlug));
  if (lookups.length === 0) return null;

  const found = (await Promise.all(lookups)).map((tenant) => (tenant?.isServed() ? tenant : null));
  const ids = new Set(found.map((tenant) => tenant?.id ?? null));
  if (ids.size > 1) throw new TenantMismatchError();
  const [tenant] = found;
  if (!tenant) throw new TenantNotFoundError();
  return tenant;
}
