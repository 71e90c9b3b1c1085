import { expect } from 'chai';
import { pino } from 'pino';
import { postJson } from '../../../src/engine/net/outbound-http.js';
import { OutboundUrlError, type AddressPolicy } from '../../../src/engine/net/outbound-url.js';
import { createLogger } from '../../../src/engine/observability/logger.js';
import { Role } from '../../../src/engine/identity/roles.js';
import { NotificationDispatcher } from '../../../src/modules/notifications/notification-dispatcher.js';
import { EmailProvider } from '../../../src/modules/notifications/providers/email.provider.js';
import { InAppProvider } from '../../../src/modules/notifications/providers/in-app.provider.js';
import { SlackProvider } from '../../../src/modules/notifications/providers/slack.provider.js';
import { AcceptInviteDocument } from '../../generated/graphql.js';
import { pauseSharedWorker, resumeSharedWorker, testEnv, useOwnEnvironment } from '../../setup/environment.js';
import { execute } from '../../support/client.js';
import { startExtraServer, startExtraWorker, UNLIMITED_SIGN_INS } from '../../support/extra-server.js';
import { addMember, provisionTenant, type TestMember, type TestTenant } from '../../support/fixtures.js';
import { HttpsStandIn, STAND_IN_HOST } from '../../support/https-stand-in.js';
import { invite, NEW_USER_PASSWORD, newEmail } from '../../support/members.js';
import { SmtpStandIn } from '../../support/smtp-stand-in.js';
import { adminQuery } from '../../support/sql.js';
import { itemAt } from '../../support/lists.js';

/** Test-only: the stand-in's made-up host name resolves to 127.0.0.1, the one address allowed. */
const STAND_IN_POLICY: AddressPolicy = {
  resolve: async (hostname) => (hostname === STAND_IN_HOST ? [{ address: '127.0.0.1', family: 4 }] : []),
  isAllowedAddress: (address) => address === '127.0.0.1',
};

async function setNotificationSettings(tenant: TestTenant, settings: Record<string, unknown>): Promise<void> {
  await adminQuery(`update tenants set settings = jsonb_set(settings, '{notifications}', $2::jsonb) where id = $1`, [
    tenant.id,
    JSON.stringify(settings),
  ]);
}

async function refusal(run: Promise<unknown>): Promise<unknown> {
  return run.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('notification channels', () => {
  // A database of its own: its own worker, paused while an SMTP-configured one runs.
  useOwnEnvironment();
  let https: HttpsStandIn;
  let smtp: SmtpStandIn;

  before(async () => {
    [https, smtp] = await Promise.all([new HttpsStandIn().start(), new SmtpStandIn().start()]);
  });

  after(async () => {
    await Promise.all([https.stop(), smtp.stop()]);
  });

  beforeEach(() => https.reset());

  describe('the SSRF-safe HTTPS client', () => {
    const options = () => ({ policy: STAND_IN_POLICY, ca: https.ca, timeoutMs: 2_000 });

    it('posts JSON to the address it validated, even for a host name no DNS knows', async () => {
      const response = await postJson(https.url('/services/T1/B1/abc?x=1'), { text: 'hello' }, options());
      expect(response).to.deep.equal({ status: 200, body: 'ok' });
      expect(https.received).to.have.length(1);
      const received = itemAt(https.received, 0);
      expect(received).to.deep.include({ method: 'POST', path: '/services/T1/B1/abc?x=1', body: '{"text":"hello"}' });
      expect(received.headers['content-type']).to.equal('application/json');
      expect(received.headers.host).to.equal(`${STAND_IN_HOST}:${https.port}`);
    });

    it('by default refuses loopback, by literal and by name, before connecting', async () => {
      for (const url of [https.url('/x', '127.0.0.1'), https.url('/x', 'localhost'), https.url('/x', '[::1]'), https.url('/x', '127.1')]) {
        expect(await refusal(postJson(url, {})), url).to.be.instanceOf(OutboundUrlError);
      }
      expect(await refusal(postJson(https.url(), {}, { ca: https.ca })), 'unknown host').to.be.instanceOf(OutboundUrlError);
      expect(await refusal(postJson(`http://${STAND_IN_HOST}:${https.port}/x`, {}, options()))).to.be.instanceOf(OutboundUrlError);
      expect(https.received).to.deep.equal([]);
    });

    it('does not follow redirects', async () => {
      https.handler = (_request, response) => response.writeHead(302, { location: 'https://169.254.169.254/latest/meta-data/' }).end();
      const error = await refusal(postJson(https.url(), {}, options()));
      expect(error).to.be.instanceOf(OutboundUrlError);
      expect((error as Error).message).to.match(/redirect/i);
      expect(https.received).to.have.length(1);
    });

    it('reads at most the response limit and gives up on a slow endpoint', async () => {
      https.handler = (_request, response) => {
        response.write('x'.repeat(64 * 1024));
        setTimeout(() => response.end(), 5_000).unref();
      };
      const started = Date.now();
      const big = await postJson(https.url(), {}, { ...options(), maxResponseBytes: 100 });
      expect(big.body).to.have.length(100);
      expect(Date.now() - started).to.be.lessThan(1_000);

      https.handler = () => undefined;
      const slowStart = Date.now();
      expect(await refusal(postJson(https.url(), {}, { ...options(), timeoutMs: 300 }))).to.be.instanceOf(Error);
      expect(Date.now() - slowStart).to.be.lessThan(2_000);
    });

    it('refuses a certificate it does not trust, and reports a non-2xx answer as a failure', async () => {
      expect(await refusal(postJson(https.url(), {}, { policy: STAND_IN_POLICY, timeoutMs: 2_000 }))).to.be.instanceOf(Error);
      https.handler = (_request, response) => response.writeHead(500).end('no');
      expect(((await refusal(postJson(https.url(), {}, options()))) as Error).message).to.match(/500/);
    });
  });

  it('a gateway and a worker configured with SMTP_URL e-mail the inviter when an invite is accepted', async () => {
    const tenant = await provisionTenant('mailer');
    await setNotificationSettings(tenant, { email: true });
    const mailConfig = { SMTP_URL: smtp.url, MAIL_FROM: 'Tessera <no-reply@tessera.test>', REDIS_URL: testEnv().redisUrl };
    const gateway = await startExtraServer({ ...mailConfig, ...UNLIMITED_SIGN_INS });
    // The e-mail goes out from the deliver-notification job: the worker is the one that needs SMTP.
    await pauseSharedWorker();
    const worker = await startExtraWorker(mailConfig);
    try {
      const { token } = await invite(tenant.token, newEmail(tenant), Role.MEMBER);
      const joined = await execute(AcceptInviteDocument, { token, password: NEW_USER_PASSWORD, name: 'Mia Mail' }, { path: gateway.url });
      expect(joined.errors, JSON.stringify(joined.errors)).to.equal(undefined);
      const mail = await smtp.messageTo(tenant.ownerEmail, 'Mia Mail accepted your invite');
      expect(mail.from).to.equal('no-reply@tessera.test');
    } finally {
      await worker.stop();
      await resumeSharedWorker();
      await gateway.stop();
    }
  });

  describe('the dispatcher with every channel', () => {
    let tenant: TestTenant;
    let recipient: TestMember;
    let dispatcher: NotificationDispatcher;

    before(async () => {
      tenant = await provisionTenant('channels');
      recipient = await addMember(tenant, Role.MEMBER);
      const { services } = testEnv();
      dispatcher = new NotificationDispatcher(
        services.orm,
        [
          new InAppProvider(services.orm, services.pubSub),
          new EmailProvider({ smtpUrl: smtp.url, from: 'Tessera <notifications@tessera.test>' }),
          new SlackProvider({ policy: STAND_IN_POLICY, ca: https.ca, timeoutMs: 2_000 }),
        ],
        createLogger('silent'),
      );
    });

    after(() => dispatcher.close());

    async function deliver(title: string): Promise<void> {
      await dispatcher.deliver({ tenantId: tenant.id, userId: recipient.id, kind: 'test.channels', title, body: 'Body <b>&</b>' });
    }

    async function storedTitles(): Promise<string[]> {
      const rows = await adminQuery<{ title: string }>('select title from notifications where tenant_id = $1 and user_id = $2', [
        tenant.id,
        recipient.id,
      ]);
      return rows.map((row) => row.title);
    }

    it('sends in-app, e-mail and Slack when the tenant turned them on', async () => {
      await setNotificationSettings(tenant, { email: true, slackWebhookUrl: https.url() });
      await deliver('All channels');
      expect(await storedTitles()).to.include('All channels');
      const mail = await smtp.messageTo(recipient.email, 'All channels');
      expect(mail.raw).to.match(/^Subject: \[Tenant [^\]]+\] All channels/m);
      expect(mail.raw).to.include('Body <b>&</b>');
      expect(https.received).to.have.length(1);
      expect(JSON.parse(itemAt(https.received, 0).body).text).to.equal(
        `*All channels*\nBody &lt;b&gt;&amp;&lt;/b&gt;\n_Tenant ${tenant.slug}_`,
      );
    });

    it('skips Slack (a PRO feature) once the tenant is on FREE, keeping the setting and the other channels', async () => {
      await setNotificationSettings(tenant, { email: true, slackWebhookUrl: https.url() });
      await adminQuery(`update tenants set plan = 'FREE' where id = $1`, [tenant.id]);
      try {
        await deliver('On FREE');
        expect(await storedTitles()).to.include('On FREE');
        await smtp.messageTo(recipient.email, 'On FREE');
        expect(https.received).to.deep.equal([]);
      } finally {
        await adminQuery(`update tenants set plan = 'PRO' where id = $1`, [tenant.id]);
      }
    });

    it('keeps delivering on the other channels when one fails', async () => {
      https.handler = (_request, response) => response.writeHead(500).end();
      await setNotificationSettings(tenant, { email: true, slackWebhookUrl: https.url() });
      await deliver('Slack is down');
      expect(await storedTitles()).to.include('Slack is down');
      await smtp.messageTo(recipient.email, 'Slack is down');
      expect(https.received).to.have.length(1);
    });

    it('sends in-app only by default, and never to a private webhook address', async () => {
      await setNotificationSettings(tenant, { email: false, slackWebhookUrl: null });
      const mailsBefore = smtp.messages.length;
      await deliver('In-app only');
      expect(await storedTitles()).to.include('In-app only');
      expect(smtp.messages.length).to.equal(mailsBefore);

      const logLines: string[] = [];
      const log = pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) });
      const production = new NotificationDispatcher(testEnv().services.orm, [new SlackProvider()], log);
      await setNotificationSettings(tenant, { slackWebhookUrl: https.url('/hook', '127.0.0.1') });
      await production.deliver({ tenantId: tenant.id, userId: recipient.id, kind: 'test.ssrf', title: 'To loopback' });
      await production.close();
      expect(https.received).to.deep.equal([]);
      const failures = logLines.map((line) => JSON.parse(line) as { channel?: string; err?: { type?: string } });
      expect(failures.map((entry) => [entry.channel, entry.err?.type])).to.deep.equal([['slack', 'OutboundUrlError']]);
    });
  });
});
