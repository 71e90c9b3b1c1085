import { expect } from 'chai';
import { createAppServices } from '../../../src/app.js';
import { loadConfig } from '../../../src/engine/config.js';
import { createLogger } from '../../../src/engine/observability/logger.js';
import { testEnv } from '../../setup/environment.js';
import { provisionTenant, TEST_PASSWORD, type TestTenant } from '../../support/fixtures.js';
import { request } from '../../support/client.js';
import { startGatewayProcess } from '../../support/processes.js';
import { UNLIMITED_SIGN_INS } from '../../support/extra-server.js';

interface Answer {
  kind: string;
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string; retryable?: boolean } }[] };
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<{ status: number } & Answer['body']> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as Answer['body'];
  return { ...body, status: response.status };
}

/** 50 concurrent requests of four kinds, each needing the database, against a gateway of `url`. */
function mixedLoad(url: string, tenant: TestTenant): Promise<Answer>[] {
  const login = 'mutation Login($input: LoginInput!) { login(input: $input) { token tenant { slug } } }';
  const memberships = '{ myMemberships { role tenant { slug } } }';
  const projects = '{ projects(first: 5) { edges { node { id name } } } }';
  return Array.from({ length: 50 }, async (_, index): Promise<Answer> => {
    switch (index % 4) {
      case 0: {
        const { status, ...body } = await post(
          url,
          login,
          { input: { email: tenant.ownerEmail, password: TEST_PASSWORD, tenantSlug: tenant.slug } },
          { 'x-tenant-slug': tenant.slug },
        );
        return { kind: 'login', status, body };
      }
      case 1: {
        const { status, ...body } = await post(url, memberships, {}, { authorization: `Bearer ${tenant.token}` });
        return { kind: 'myMemberships', status, body };
      }
      case 2: {
        const { status, ...body } = await post(url, projects, {}, { authorization: `Bearer ${tenant.token}` });
        return { kind: 'projects', status, body };
      }
      default: {
        const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(20_000) });
        return { kind: 'readyz', status: response.status, body: (await response.json()) as Answer['body'] };
      }
    }
  });
}

/** Every answer is a success or a retryable SERVICE_UNAVAILABLE: nothing hangs, nothing is a 500. */
function expectAnswered(answers: Answer[]): number {
  let succeeded = 0;
  for (const answer of answers) {
    const description = JSON.stringify(answer);
    if (answer.kind === 'readyz') {
      expect([200, 503], description).to.include(answer.status);
      if (answer.status === 200) succeeded += 1;
      continue;
    }
    if (!answer.body.errors) {
      expect(answer.status, description).to.equal(200);
      succeeded += 1;
      continue;
    }
    expect(
      answer.body.errors.map((error) => error.extensions?.code),
      description,
    ).to.deep.equal(['SERVICE_UNAVAILABLE']);
    expect(answer.body.errors[0]!.extensions?.retryable, description).to.equal(true);
  }
  return succeeded;
}

describe('hardening: one connection per request (issue 13, item 1)', function () {
  this.timeout(90_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await provisionTenant('pool');
    const created = await request('mutation { createProject(input: { name: "Pool" }) { id } }', {}, { token: tenant.token });
    expect(created.errors).to.equal(undefined);
  });

  for (const poolMax of ['1', '2']) {
    it(`answers 50 concurrent logins (X-Tenant-Slug), myMemberships, projects and /readyz with a pool of ${poolMax}, then drains on SIGTERM`, async () => {
      const gateway = await startGatewayProcess({
        DATABASE_POOL_MAX: poolMax,
        DATABASE_ACQUIRE_TIMEOUT_MS: '10000',
        ...UNLIMITED_SIGN_INS,
      });
      try {
        let startedAt = Date.now();
        const answers = await Promise.all(mixedLoad(gateway.url, tenant));
        expect(Date.now() - startedAt).to.be.below(20_000);
        expect(expectAnswered(answers), 'all answered, and with a 10 s acquire timeout all succeed').to.equal(50);
        const login = answers.find((answer) => answer.kind === 'login')!;
        expect(login.body.data).to.have.nested.property('login.tenant.slug', tenant.slug);
        const memberships = answers.find((answer) => answer.kind === 'myMemberships')!;
        expect(memberships.body.data).to.deep.equal({ myMemberships: [{ role: 'OWNER', tenant: { slug: tenant.slug } }] });

        // SIGTERM with requests in flight: they answer, and the process exits.
        const inFlight = Promise.all(mixedLoad(gateway.url, tenant).map((answer) => answer.catch((error: Error) => error)));
        await new Promise((resolve) => setTimeout(resolve, 20));
        startedAt = Date.now();
        const exitCode = await Promise.race([gateway.stop(), new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000))]);
        expect(exitCode).to.equal(0);
        expect(Date.now() - startedAt, 'drained in time').to.be.below(15_000);
        const late = await inFlight;
        // Requests that reached the server before it stopped listening answered; later ones were refused at connect.
        for (const answer of late) {
          if (answer instanceof Error)
            expect(answer.cause instanceof Error ? answer.cause.message : answer.message).to.match(
              /ECONNREFUSED|ECONNRESET|fetch failed|other side closed/,
            );
          else expect([200, 503]).to.include(answer.status);
        }
      } finally {
        await gateway.kill().catch(() => undefined);
      }
    });
  }

  it('answers SERVICE_UNAVAILABLE (503, retryable) when no connection frees up in time', async () => {
    const gateway = await startGatewayProcess({ DATABASE_POOL_MAX: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '300', ...UNLIMITED_SIGN_INS });
    try {
      // 100 requests queue for the single connection; those that cannot get it within 300 ms (long enough for the gateway's own connections at boot on a busy machine) are told to retry.
      const answers = await Promise.all(
        Array.from({ length: 100 }, () =>
          post(
            gateway.url,
            '{ myMemberships { role } projects(first: 5) { edges { node { id } } } }',
            {},
            { authorization: `Bearer ${tenant.token}` },
          ),
        ),
      );
      const unavailable = answers.filter((answer) => answer.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE');
      for (const answer of answers) {
        if (answer.errors) {
          expect(
            answer.errors.map((error) => error.extensions?.code),
            JSON.stringify(answer),
          ).to.deep.equal(['SERVICE_UNAVAILABLE']);
          expect(answer.status).to.equal(503);
        }
      }
      expect(unavailable.length + answers.filter((answer) => !answer.errors).length).to.equal(100);
      expect(unavailable.length, 'some waited longer than the acquire timeout').to.be.greaterThan(0);
    } finally {
      await gateway.stop();
    }
  });
});

describe('hardening: the app role sessions time out (issue 13, item 1)', () => {
  it('sets statement_timeout and idle_in_transaction_session_timeout from the configuration', async () => {
    const env = testEnv();
    const services = await createAppServices({
      config: loadConfig({ NODE_ENV: 'test', DATABASE_STATEMENT_TIMEOUT_MS: '1234', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5678' }),
      log: createLogger('silent'),
      databaseUrl: env.urls.appUrl,
      jwtSecret: env.jwtSecret,
    });
    try {
      const [row] = await services.orm.em
        .fork()
        .execute<{ statement: string; idle: string }[]>(
          `select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`,
        );
      expect(row).to.deep.equal({ statement: '1234ms', idle: '5678ms' });
      const slow = await services.orm.em
        .fork()
        .execute('select pg_sleep(3)')
        .then(
          () => 'finished',
          (error: { code?: string }) => error.code,
        );
      expect(slow).to.equal('57014');
    } finally {
      await services.close();
    }
  });
});

describe('hardening: fields that run their own sessions (issue 13, item 1)', () => {
  it('refuses an operation mixing them with fields of the request transaction, before anything runs', async () => {
    const tenant = await provisionTenant('mixed');
    const response = await request(
      'mutation ($input: LoginInput!) { login(input: $input) { token } createProject(input: { name: "Mixed" }) { id } }',
      { input: { email: tenant.ownerEmail, password: TEST_PASSWORD } },
      { token: tenant.token },
    );
    expect(response.status).to.equal(400);
    expect(response.errors?.map((error) => error.extensions?.code)).to.deep.equal(['BAD_USER_INPUT']);
    const projects = await request<{ projects: { totalCount: number } }>('{ projects { totalCount } }', {}, { token: tenant.token });
    expect(projects.data?.projects.totalCount).to.equal(0);
  });
});
