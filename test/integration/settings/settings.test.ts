import { expect } from 'chai';
import { Role } from '../../../src/engine/identity/roles.js';
import { BrandingDocument, TenantSettingsDocument, UpdateBrandingDocument, UpdateTenantSettingsDocument } from '../../generated/graphql.js';
import { execute, expectError, ok, request } from '../../support/client.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { adminQuery } from '../../support/sql.js';

/** Addresses no tenant may make the gateway call or show: private, loopback, link-local, metadata, plain http. */
const REFUSED_URLS = [
  'http://93.184.216.34/hook',
  'https://127.0.0.1/hook',
  'https://localhost/hook',
  'https://10.0.0.5/hook',
  'https://192.168.1.1/hook',
  'https://169.254.169.254/latest/meta-data/',
  'https://[::1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://user:pass@93.184.216.34/hook',
  'not a url',
  'https://does-not-exist.invalid/hook',
];

async function auditActions(tenantId: string): Promise<{ action: string; data: Record<string, unknown> }[]> {
  return adminQuery('select action, data from audit_events where tenant_id = $1 and action like $2 order by created_at', [
    tenantId,
    'tenant.%',
  ]);
}

describe('tenant settings and branding', () => {
  let pro: TestTenant;
  let free: TestTenant;
  let manager: TestMember;
  let viewer: TestMember;

  before(async () => {
    [pro, free] = await Promise.all([provisionTenant('set-pro', 'PRO'), provisionTenant('set-free', 'FREE')]);
    [manager, viewer] = await Promise.all([addMember(pro, Role.MANAGER), addMember(pro, Role.VIEWER)]);
  });

  it('every member reads the settings, with defaults', async () => {
    const settings = ok(await execute(TenantSettingsDocument, {}, { token: viewer.token })).tenantSettings;
    expect(settings).to.deep.equal({
      timezone: 'UTC',
      locale: 'en',
      webhookUrl: null,
      notifications: { email: false, slack: false, slackWebhookUrl: null },
    });
    expectError(await execute(TenantSettingsDocument, {}), 'UNAUTHENTICATED');
  });

  it('an owner updates time zone, locale, webhook and channels (canonicalised), audited; a MANAGER or VIEWER may not', async () => {
    const input = {
      timezone: 'Europe/Berlin',
      locale: 'en-gb',
      webhookUrl: 'https://93.184.216.34/hooks/tessera',
      notifications: { email: true, slackWebhookUrl: 'https://93.184.216.34/services/T000/B000/XXX' },
    };
    for (const member of [manager, viewer]) {
      expectError(await execute(UpdateTenantSettingsDocument, { input }, { token: member.token }), 'FORBIDDEN');
    }
    const updated = ok(await execute(UpdateTenantSettingsDocument, { input }, { token: pro.token })).updateTenantSettings;
    expect(updated).to.deep.equal({
      timezone: 'Europe/Berlin',
      locale: 'en-GB',
      webhookUrl: 'https://93.184.216.34/hooks/tessera',
      notifications: { email: true, slack: true, slackWebhookUrl: 'https://93.184.216.34/services/T000/B000/XXX' },
    });
    expect(ok(await execute(TenantSettingsDocument, {}, { token: viewer.token })).tenantSettings).to.deep.equal(updated);

    // Fields left out stay; null clears the webhook.
    const cleared = ok(
      await execute(UpdateTenantSettingsDocument, { input: { webhookUrl: null } }, { token: pro.token }),
    ).updateTenantSettings;
    expect(cleared).to.deep.include({ timezone: 'Europe/Berlin', webhookUrl: null });
    expect(cleared?.notifications.email).to.equal(true);

    const audit = (await auditActions(pro.id)).filter((event) => event.action === 'tenant.settings_updated');
    expect(audit.map((event) => event.data.changed)).to.deep.equal([
      ['timezone', 'locale', 'webhookUrl', 'notifications.email', 'notifications.slackWebhookUrl'],
      ['webhookUrl'],
    ]);
    expect(JSON.stringify(audit), 'webhook URLs are secrets: never in the audit log').not.to.include('93.184.216.34');
  });

  it('refuses bad values with a field error each, and writes nothing', async () => {
    const before = await adminQuery<{ settings: unknown }>('select settings from tenants where id = $1', [pro.id]);
    const response = await execute(
      UpdateTenantSettingsDocument,
      {
        input: {
          timezone: 'Mars/Olympus_Mons',
          locale: 'not a locale!',
          webhookUrl: 'https://127.0.0.1/hook',
          notifications: { slackWebhookUrl: 'http://93.184.216.34/x' },
        },
      },
      { token: pro.token },
    );
    const error = expectError(response, 'BAD_USER_INPUT');
    expect((error.extensions?.fieldErrors as { field: string }[]).map((e) => e.field)).to.deep.equal([
      'timezone',
      'locale',
      'webhookUrl',
      'notifications.slackWebhookUrl',
    ]);
    expect(await adminQuery('select settings from tenants where id = $1', [pro.id])).to.deep.equal(before);
  });

  it('refuses every private, loopback, link-local and metadata webhook or logo URL (SSRF)', async () => {
    for (const url of REFUSED_URLS) {
      const webhook = await execute(UpdateTenantSettingsDocument, { input: { webhookUrl: url } }, { token: pro.token });
      expect(expectError(webhook, 'BAD_USER_INPUT').extensions?.fieldErrors, url).to.have.deep.nested.property('[0].field', 'webhookUrl');
      const logo = await execute(UpdateBrandingDocument, { input: { logoUrl: url } }, { token: pro.token });
      expect(expectError(logo, 'BAD_USER_INPUT').extensions?.fieldErrors, url).to.have.deep.nested.property('[0].field', 'logoUrl');
    }
  });

  it('Slack notifications need PRO: a FREE owner gets PLAN_UPGRADE_REQUIRED but may set the rest', async () => {
    const slack = await execute(
      UpdateTenantSettingsDocument,
      { input: { notifications: { slackWebhookUrl: 'https://93.184.216.34/services/x' } } },
      { token: free.token },
    );
    expect(expectError(slack, 'PLAN_UPGRADE_REQUIRED').extensions).to.deep.include({ feature: 'slackNotifications', requiredPlan: 'PRO' });
    const rest = ok(await execute(UpdateTenantSettingsDocument, { input: { timezone: 'America/New_York' } }, { token: free.token }));
    expect(rest.updateTenantSettings?.timezone).to.equal('America/New_York');
  });

  it('public branding shows display name, logo and colours only, to anyone, and nothing for unknown slugs', async () => {
    const initial = ok(await execute(BrandingDocument, { slug: pro.slug })).branding;
    expect(initial).to.deep.equal({ displayName: `Tenant ${pro.slug}`, logoUrl: null, primaryColor: '#1f6feb', accentColor: '#8250df' });
    const updated = ok(
      await execute(
        UpdateBrandingDocument,
        {
          input: {
            displayName: 'Acme Rockets',
            logoUrl: 'https://93.184.216.34/logo.png',
            primaryColor: '#FF0000',
            accentColor: '#00ff00',
          },
        },
        { token: pro.token },
      ),
    ).updateBranding;
    expect(updated).to.deep.equal({
      displayName: 'Acme Rockets',
      logoUrl: 'https://93.184.216.34/logo.png',
      primaryColor: '#ff0000',
      accentColor: '#00ff00',
    });
    expect(ok(await execute(BrandingDocument, { slug: pro.slug.toUpperCase() })).branding).to.deep.equal(updated);
    expect(ok(await execute(BrandingDocument, { slug: 'no-such-tenant' })).branding).to.equal(null);

    // The Branding type has nothing else to ask for.
    for (const field of ['id', 'slug', 'plan', 'status', 'settings', 'webhookUrl']) {
      expectError(await request(`query ($slug: String!) { branding(slug: $slug) { ${field} } }`, { slug: pro.slug }), 'BAD_USER_INPUT');
    }
    const audit = (await auditActions(pro.id)).filter((event) => event.action === 'tenant.branding_updated');
    expect(audit.at(-1)?.data).to.deep.equal({
      changed: ['displayName', 'logoUrl', 'primaryColor', 'accentColor'],
      displayName: 'Acme Rockets',
      primaryColor: '#ff0000',
      accentColor: '#00ff00',
    });
  });

  it('branding validation: #rrggbb colours, https logos, a non-blank name', async () => {
    const response = await execute(
      UpdateBrandingDocument,
      { input: { displayName: '   ', logoUrl: 'ftp://93.184.216.34/logo.png', primaryColor: 'red', accentColor: '#12345' } },
      { token: pro.token },
    );
    const fields = (expectError(response, 'BAD_USER_INPUT').extensions?.fieldErrors as { field: string }[]).map((e) => e.field);
    expect(fields).to.deep.equal(['displayName', 'logoUrl', 'primaryColor', 'accentColor']);
  });

  it('custom branding needs PRO (FREE: PLAN_UPGRADE_REQUIRED) and the OWNER role', async () => {
    const input = { primaryColor: '#123456' };
    const gated = expectError(await execute(UpdateBrandingDocument, { input }, { token: free.token }), 'PLAN_UPGRADE_REQUIRED');
    expect(gated.extensions).to.deep.include({ feature: 'customBranding', requiredPlan: 'PRO' });
    expect(ok(await execute(BrandingDocument, { slug: free.slug })).branding?.primaryColor).to.equal('#1f6feb');
    expectError(await execute(UpdateBrandingDocument, { input }, { token: manager.token }), 'FORBIDDEN');
    expectError(await execute(UpdateBrandingDocument, { input }), 'UNAUTHENTICATED');
  });
});
