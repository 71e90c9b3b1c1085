import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { TokenService } from '../../src/engine/identity/tokens.js';

const SECRET = 'unit-test-secret-of-enough-length-0123456789';

describe('access tokens: remembered verifications', () => {
  it('refuses a token once it expires, even after it was verified (and remembered) before', async () => {
    const tokens = new TokenService(SECRET, 1);
    const claims = { sub: randomUUID(), tid: randomUUID() };
    const token = tokens.sign(claims);
    expect(tokens.verify(token)).to.include(claims);
    expect(tokens.verify(token)).to.include(claims);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(() => tokens.verify(token)).to.throw('Invalid or expired token');
  }).timeout(5_000);

  it('refuses a token altered after a verification of the original, and one signed with another secret', () => {
    const tokens = new TokenService(SECRET, 60);
    const token = tokens.sign({ sub: randomUUID(), tid: randomUUID() });
    tokens.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), tid: randomUUID() }),
    ).toString('base64url');
    expect(() => tokens.verify(`${header}.${forgedPayload}.${signature}`)).to.throw('Invalid or expired token');
    const foreign = new TokenService(`${SECRET}-other`, 60).sign({ sub: randomUUID(), tid: randomUUID() });
    expect(() => tokens.verify(foreign)).to.throw('Invalid or expired token');
  });

  it('hands out claims nobody can change for the next request', () => {
    const tokens = new TokenService(SECRET, 60);
    const token = tokens.sign({ sub: randomUUID(), tid: randomUUID() });
    const claims = tokens.verify(token);
    expect(() => Object.assign(claims, { tid: randomUUID() })).to.throw(TypeError);
    expect(tokens.verify(token)).to.equal(claims);
  });
});
