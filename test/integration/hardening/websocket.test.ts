import { expect } from 'chai';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { TokenService } from '../../../src/engine/identity/tokens.js';
import { testEnv } from '../../setup/environment.js';
import { Role } from '../../../src/engine/identity/roles.js';
import { request } from '../../support/client.js';
import { addMember, provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { adminQuery } from '../../support/sql.js';
import { startExtraServer, startProductionServer, type ExtraServer } from '../../support/extra-server.js';
import { wsClient, wsQuery } from '../../support/ws.js';

const NOTIFICATIONS = 'subscription { notificationReceived { id } }';

/** Opens a subscription; resolves with what ended it (errors, or [] on a clean completion). */
function subscribeUntilEnd(client: Client, query: string): { ended: Promise<unknown[]>; nexts: unknown[] } {
  const nexts: unknown[] = [];
  const ended = new Promise<unknown[]>((resolve) => {
    client.subscribe(
      { query },
      {
        next: (value) => {
          nexts.push(value);
        },
        error: (error) => resolve(Array.isArray(error) ? error : [error]),
        complete: () => resolve([]),
      },
    );
  });
  return { ended, nexts };
}

const codeOf = (errors: unknown[]) => (errors[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('hardening: websocket limits (issue 13, item 3)', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let server: ExtraServer;

  before(async () => {
    tenant = await provisionTenant('ws-limits');
    server = await startExtraServer({
      WS_MAX_SUBSCRIPTIONS_PER_SOCKET: '2',
      WS_MAX_SUBSCRIPTIONS_PER_USER: '3',
      REDIS_URL: testEnv().redisUrl,
    });
  });
  after(() => server.stop());

  it('closes the socket on a 5 MB message instead of executing it (maxPayload 1 MB)', async () => {
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    const replies: string[] = [];
    socket.on('message', (data: Buffer) => replies.push(data.toString()));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const padding = 'x'.repeat(5 * 1024 * 1024);
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ __typename } # ${padding}` } }));
    expect(await closed).to.equal(1009);
    expect(replies).to.deep.equal([]);
  });

  it('authenticates in connection_init: a forged token closes the socket with 4401', async () => {
    const client = wsClient('forged.token.value', {}, server.url);
    try {
      const outcome = await wsQuery(client, '{ apiVersion }').then(
        () => 'answered',
        (event: { code?: number }) => event.code,
      );
      expect(outcome).to.equal(4401);
    } finally {
      await client.dispose();
    }
  });

  it('lets an anonymous socket run public operations only, and no subscription', async () => {
    const client = wsClient(undefined, {}, server.url);
    try {
      expect((await wsQuery<{ apiVersion: string }>(client, '{ apiVersion }')).data?.apiVersion).to.be.a('string');
      const denied = await wsQuery(client, '{ me { id } }', {});
      expect((denied.errors ?? []).length).to.be.greaterThan(0);
      const subscription = subscribeUntilEnd(client, NOTIFICATIONS);
      expect(codeOf(await subscription.ended)).to.equal('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('caps live subscriptions per socket and per user', async () => {
    const first = wsClient(tenant.token, {}, server.url);
    const second = wsClient(tenant.token, {}, server.url);
    try {
      subscribeUntilEnd(first, NOTIFICATIONS);
      subscribeUntilEnd(first, NOTIFICATIONS);
      await settle();
      const third = subscribeUntilEnd(first, NOTIFICATIONS);
      expect(codeOf(await third.ended), 'third on one socket').to.equal('RATE_LIMITED');
      const onSecond = subscribeUntilEnd(second, NOTIFICATIONS);
      await settle();
      const fourth = subscribeUntilEnd(second, NOTIFICATIONS);
      expect(codeOf(await fourth.ended), 'fourth of one user').to.equal('RATE_LIMITED');
      void onSecond;
    } finally {
      await first.dispose();
      await second.dispose();
    }
    // Closing the sockets gave the slots back.
    await settle();
    const again = wsClient(tenant.token, {}, server.url);
    try {
      const live = subscribeUntilEnd(again, NOTIFICATIONS);
      await settle();
      const result = await Promise.race([live.ended, settle().then(() => 'still live')]);
      expect(result).to.equal('still live');
    } finally {
      await again.dispose();
    }
  });

  it('applies the HTTP depth and alias limits over ws', async () => {
    const client = wsClient(tenant.token, {}, server.url);
    try {
      const aliases = Array.from({ length: 40 }, (_, index) => `a${index}: apiVersion`).join(' ');
      const refused = await wsQuery(client, `{ ${aliases} }`);
      expect(codeOf(refused.errors ?? [])).to.equal('BAD_USER_INPUT');
    } finally {
      await client.dispose();
    }
  });

  it('ends a subscription with UNAUTHENTICATED when its token expires', async () => {
    const shortLived = new TokenService(testEnv().jwtSecret, 2).sign({ sub: tenant.ownerId, tid: tenant.id });
    const client = wsClient(shortLived, {}, server.url);
    try {
      const subscription = subscribeUntilEnd(client, NOTIFICATIONS);
      const startedAt = Date.now();
      await subscription.ended;
      expect(Date.now() - startedAt).to.be.below(5_000);
      const errors = (subscription.nexts as { errors?: unknown[] }[]).flatMap((next) => next.errors ?? []);
      expect(codeOf(errors)).to.equal('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('refuses introspection over ws in production', async () => {
    // Raw documents allowed: what refuses the introspection here is the introspection rule itself.
    const production = await startProductionServer();
    const client = wsClient(undefined, {}, production.url);
    try {
      const refused = await wsQuery(client, '{ __schema { types { name } } }');
      expect(refused.data).to.equal(undefined);
      expect(codeOf(refused.errors ?? [])).to.equal('BAD_USER_INPUT');
    } finally {
      await client.dispose();
      await production.stop();
    }
  });
});

describe('hardening: per-event subscriber checks read a membership cache (issue 13, item 3)', () => {
  it('answers from memory until a membership change invalidates it', async () => {
    const { services } = testEnv();
    const tenant = await provisionTenant('memcache');
    const member = await addMember(tenant, Role.MEMBER);
    // The new membership's own change notice comes back to this process through Redis and evicts
    // the entry: let it arrive before the cache is filled, or it empties the cache under load.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await services.memberships.roleOf(tenant.id, member.id)).to.equal('MEMBER');
    // Changed behind the ORM's back: a cached answer does not go to the database, so it does not see this.
    await adminQuery(`update memberships set role = 'VIEWER' where tenant_id = $1 and user_id = $2`, [tenant.id, member.id]);
    expect(await services.memberships.roleOf(tenant.id, member.id)).to.equal('MEMBER');
    // A change through the application invalidates it (here and, through pub/sub, in other processes).
    const removal = await request(
      'mutation ($userId: ID!) { removeMember(userId: $userId) }',
      { userId: member.id },
      { token: tenant.token },
    );
    expect(removal.errors).to.equal(undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await services.memberships.roleOf(tenant.id, member.id)).to.equal(null);
  });
});
