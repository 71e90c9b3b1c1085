import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../../src/engine/http/server.js';
import { startExtraServer } from '../../support/extra-server.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The development IDE in a real headless Chromium, offline: every request the page makes goes to
 * the gateway (anything else is aborted, as without internet), and a query runs with the
 * pre-filled owner token.
 */
describe('development GraphQL IDE (headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: RunningServer;
  let tenant: TestTenant;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    tenant = await provisionTenant('ide');
    server = await startServer(testEnv().services, 0, '127.0.0.1', {
      ide: { headers: () => ({ Authorization: `Bearer ${tenant.token}` }) },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders from local assets, runs { me { email } } with the pre-filled token and shows the answer', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    const origin = new URL(server.url).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith(origin.replace('http', 'ws')) || url.startsWith('data:') || url.startsWith('blob:'))
        return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(server.url);
    await page.locator('.CodeMirror, .cm-editor').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(tenant.ownerEmail)})`, undefined, { timeout: 30_000 });
    expect(outside, 'requests outside the gateway').to.deep.equal([]);
  });

  it('is not served in production, and Apollo serves no landing page', async () => {
    const production = await startExtraServer({
      NODE_ENV: 'production',
      DATABASE_URL: testEnv().urls.appUrl,
      DATABASE_MIGRATOR_URL: testEnv().urls.migratorUrl,
      JWT_SECRET: testEnv().jwtSecret,
      REDIS_URL: testEnv().redisUrl,
      TRUSTED_DOCUMENTS: 'off',
    });
    try {
      const page = await fetch(production.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type') ?? '').not.to.match(/html/);
      expect((await fetch(new URL('/ide/index.html', production.url))).status).to.equal(404);
    } finally {
      await production.stop();
    }
    const development = await fetch(testEnv().server.url, { headers: { accept: 'text/html' } });
    expect(development.headers.get('content-type')).to.match(/html/);
    const html = await development.text();
    expect(html).not.to.match(/cdn|apollographql\.com/i);
    expect(html).to.contain(`subscriptionsEndpoint: \`${testEnv().server.url.replace('http', 'ws')}\``);
    expect(html).to.contain('initialSubscriptionRequestHandlerId: `graphql-ws`');
  });
});
