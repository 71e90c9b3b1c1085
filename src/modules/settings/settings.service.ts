import type { RequestContext } from '../../engine/context.js';
import { BadUserInputError } from '../../engine/graphql/errors.js';
import { Tenant } from '../../engine/tenancy/tenant.entity.js';
import { publishTenantChange } from '../../engine/tenancy/tenant-changes.js';
import { recordAudit } from '../audit/audit.service.js';
import { notificationSettingsOf } from '../notifications/notification-settings.js';
import { assertPlanIncludes } from '../plans/plan.rules.js';
import { DEFAULT_TENANT_SETTINGS } from '../provisioning/provisioning.steps.js';
import type { UpdateBrandingInput, UpdateTenantSettingsInput } from './settings.inputs.js';
import { colorOf, FieldErrors, localeOf, outboundUrlOf, timezoneOf } from './settings-validation.js';
import type { Branding, TenantSettings } from './settings.types.js';
import { tenantOf } from '../../engine/tenancy/tenant-context.js';

const DEFAULT_TIMEZONE = 'UTC';
const DEFAULT_LOCALE = 'en';

/** The parts of `tenants.settings` this module owns (notifications are shared with their module). */
interface StoredSettings {
  timezone?: string;
  locale?: string;
  webhookUrl?: string | null;
  branding?: { displayName?: string | null; logoUrl?: string | null; primaryColor?: string; accentColor?: string };
}

const stored = (tenant: Tenant) => tenant.settings as StoredSettings & Record<string, unknown>;

/** A tenant's settings as clients see them, defaults filled in. */
export function settingsOf(tenant: Tenant): TenantSettings {
  const settings = stored(tenant);
  const notifications = notificationSettingsOf(tenant.settings);
  return {
    timezone: settings.timezone ?? DEFAULT_TIMEZONE,
    locale: settings.locale ?? DEFAULT_LOCALE,
    webhookUrl: settings.webhookUrl ?? null,
    notifications: {
      email: notifications.email,
      slack: Boolean(notifications.slackWebhookUrl),
      slackWebhookUrl: notifications.slackWebhookUrl,
    },
  };
}

/** The public look of a tenant: display name, logo and colours, nothing else. */
export function brandingOf(tenant: Tenant): Branding {
  const branding = stored(tenant).branding ?? {};
  return {
    displayName: branding.displayName ?? tenant.name,
    logoUrl: branding.logoUrl ?? null,
    primaryColor: branding.primaryColor ?? DEFAULT_TENANT_SETTINGS.branding.primaryColor,
    accentColor: branding.accentColor ?? DEFAULT_TENANT_SETTINGS.branding.accentColor,
  };
}

/** Public: the branding of a served tenant by slug; any other slug is null (no enumeration). */
export async function findBranding(ctx: RequestContext, slug: string): Promise<Branding | null> {
  const normalized = slug.trim().toLowerCase();
  if (normalized.length < 3 || normalized.length > 48) return null;
  const tenant = await ctx.services.tenants.bySlug(normalized);
  return tenant?.isServed() ? brandingOf(tenant) : null;
}

/** Validates every given field, then writes them with an audit event in the request's transaction. */
export async function updateTenantSettings(ctx: RequestContext, input: UpdateTenantSettingsInput): Promise<TenantSettings> {
  const errors = new FieldErrors();
  const changes: StoredSettings = {};
  if (input.timezone != null) changes.timezone = timezoneOf(input.timezone, 'timezone', errors);
  if (input.locale != null) changes.locale = localeOf(input.locale, 'locale', errors);
  if (input.webhookUrl !== undefined) {
    changes.webhookUrl = input.webhookUrl === null ? null : await outboundUrlOf(input.webhookUrl, 'webhookUrl', errors);
  }
  const notifications: { email?: boolean; slackWebhookUrl?: string | null } = {};
  const channels = input.notifications;
  if (channels?.email != null) notifications.email = channels.email;
  if (channels?.slackWebhookUrl !== undefined) {
    if (channels.slackWebhookUrl !== null) assertPlanIncludes(ctx, 'slackNotifications');
    notifications.slackWebhookUrl =
      channels.slackWebhookUrl === null ? null : await outboundUrlOf(channels.slackWebhookUrl, 'notifications.slackWebhookUrl', errors);
  }
  if (errors.errors.length > 0) throw new BadUserInputError(errors.errors);

  const tenant = await ctx.em.findOneOrFail(Tenant, { id: tenantOf(ctx).id });
  const current = tenant.settings;
  tenant.settings = {
    ...current,
    ...changes,
    notifications: { ...notificationSettingsOf(current), ...notifications },
  };
  // Names only: URLs can carry secrets (a Slack webhook is one).
  const changed = [...Object.keys(changes), ...Object.keys(notifications).map((key) => `notifications.${key}`)];
  recordAudit(ctx, 'tenant.settings_updated', tenant.id, { changed });
  await ctx.em.flush();
  ctx.services.afterCommit.schedule(ctx.em, () => publishTenantChange(ctx.services, tenant));
  return settingsOf(tenant);
}

/** Validates and writes the tenant's branding, with an audit event in the request's transaction. */
export async function updateBranding(ctx: RequestContext, input: UpdateBrandingInput): Promise<Branding> {
  const errors = new FieldErrors();
  const changes: NonNullable<StoredSettings['branding']> = {};
  if (input.displayName != null) {
    const name = input.displayName.trim();
    if (name.length < 1 || name.length > 100 || name.includes('\u0000')) errors.add('displayName', 'Between 1 and 100 characters');
    else changes.displayName = name;
  }
  if (input.logoUrl !== undefined) {
    changes.logoUrl = input.logoUrl === null ? null : await outboundUrlOf(input.logoUrl, 'logoUrl', errors);
  }
  if (input.primaryColor != null) changes.primaryColor = colorOf(input.primaryColor, 'primaryColor', errors);
  if (input.accentColor != null) changes.accentColor = colorOf(input.accentColor, 'accentColor', errors);
  if (errors.errors.length > 0) throw new BadUserInputError(errors.errors);

  const tenant = await ctx.em.findOneOrFail(Tenant, { id: tenantOf(ctx).id });
  tenant.settings = { ...tenant.settings, branding: { ...stored(tenant).branding, ...changes } };
  recordAudit(ctx, 'tenant.branding_updated', tenant.id, { changed: Object.keys(changes), ...changesWithoutUrls(changes) });
  await ctx.em.flush();
  ctx.services.afterCommit.schedule(ctx.em, () => publishTenantChange(ctx.services, tenant));
  return brandingOf(tenant);
}

function changesWithoutUrls({ logoUrl: _logoUrl, ...rest }: NonNullable<StoredSettings['branding']>): Record<string, unknown> {
  return rest;
}
