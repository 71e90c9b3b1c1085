import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { MeDocument } from '../../generated/graphql.js';
import { testEnv } from '../../setup/environment.js';
import { execute, expectError, ok } from '../../support/client.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('isolation: forged, expired and foreign tokens', () => {
  let acme: TestTenant;
  let globex: TestTenant;
  const sign = (claims: object, options: jwt.SignOptions = {}, secret = testEnv().jwtSecret) =>
    jwt.sign(claims, secret, { algorithm: 'HS256', issuer: 'tessera', audience: 'tessera-api', expiresIn: 600, ...options });

  before(async () => {
    [acme, globex] = await Promise.all([provisionTenant('acme'), provisionTenant('globex')]);
  });

  it('accepts our own token', async () => {
    const data = ok(await execute(MeDocument, {}, { token: acme.token }));
    expect(data.me?.id).to.equal(acme.ownerId);
    expect(data.currentTenant?.id).to.equal(acme.id);
  });

  const forgeries: [string, () => string][] = [
    ['signed with another secret', () => sign({ tid: acme.id }, { subject: acme.ownerId }, 'x'.repeat(64))],
    [
      'alg "none"',
      () =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: acme.ownerId, tid: acme.id, iss: 'tessera', aud: 'tessera-api', exp: 4102444800 })}.`,
    ],
    ['another algorithm (HS512) with our secret', () => sign({ tid: acme.id }, { subject: acme.ownerId, algorithm: 'HS512' })],
    ['expired', () => sign({ tid: acme.id }, { subject: acme.ownerId, expiresIn: -60 })],
    ['another issuer', () => sign({ tid: acme.id }, { subject: acme.ownerId, issuer: 'evil' })],
    ['another audience', () => sign({ tid: acme.id }, { subject: acme.ownerId, audience: 'other-api' })],
    ['a subject that is no UUID', () => sign({ tid: acme.id }, { subject: "' or 1=1 --" })],
    ['a subject that does not exist', () => sign({ tid: acme.id }, { subject: '00000000-0000-4000-8000-000000000000' })],
    [
      'a tampered payload',
      () => {
        const [header, , signature] = acme.token.split('.');
        return `${header}.${base64url({ sub: globex.ownerId, tid: globex.id, iss: 'tessera', aud: 'tessera-api', exp: 4102444800 })}.${signature}`;
      },
    ],
    ['garbage', () => 'not-a-jwt'],
  ];
  for (const [name, forge] of forgeries) {
    it(`refuses a token ${name} with UNAUTHENTICATED and no data`, async () => {
      const response = await execute(MeDocument, {}, { token: forge() });
      expectError(response, 'UNAUTHENTICATED');
      expect(response.data ?? null).to.equal(null);
      expect(response.status).to.equal(401);
    });
  }

  it('refuses a malformed Authorization header', async () => {
    const response = await execute(MeDocument, {}, { headers: { authorization: `Token ${acme.token}` } });
    expectError(response, 'UNAUTHENTICATED');
  });

  it('gives no role in a tenant the user is not a member of, even with a validly signed tid', async () => {
    const token = testEnv().services.tokens.sign({ sub: globex.ownerId, tid: acme.id });
    const response = await execute(MeDocument, {}, { token });
    const data = response.data;
    expect(data?.me?.id).to.equal(globex.ownerId);
    expect(data?.currentTenant ?? null).to.equal(null);
    expect(response.errors?.map((error) => error.extensions?.code)).to.deep.equal(['FORBIDDEN']);
  });

  it('takes the role from the membership, not from a token claim', async () => {
    const token = sign({ tid: acme.id, role: 'OWNER', roles: ['OWNER'] }, { subject: globex.ownerId });
    const response = await execute(MeDocument, {}, { token });
    expect(response.data?.currentTenant ?? null).to.equal(null);
  });
});
