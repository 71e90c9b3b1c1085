import { expect } from 'chai';
import { walkthrough } from '../../../examples/web-client/src/walkthrough.js';
import { testEnv } from '../../setup/environment.js';
import { startExtraServer, UNLIMITED_SIGN_INS, type ExtraServer } from '../../support/extra-server.js';

/** examples/web-client against the real gateway, so the example never rots. */
describe('examples/web-client', function () {
  this.timeout(60_000);

  it('signs up, follows provisioningProgress over graphql-ws until ACTIVE, signs in and pages through projects', async () => {
    const result = await walkthrough(testEnv().server.url, `webclient-${Date.now().toString(36)}`);
    expect(result.tenantStatus).to.equal('ACTIVE');
    expect(result.progress.at(-1)).to.match(/COMPLETED$/);
    expect(result.projectNames).to.include.members(['Website', 'Mobile app', 'Billing']);
    expect(result.pages).to.be.greaterThan(1);
  });

  it('works against a gateway that runs trusted documents only', async () => {
    const server: ExtraServer = await startExtraServer({
      REDIS_URL: testEnv().redisUrl,
      TRUSTED_DOCUMENTS: 'required',
      TRUSTED_DOCUMENTS_MANIFEST: 'client/generated/persisted-documents.json',
      RATE_LIMIT_SIGNUPS_PER_HOUR: '100000',
      ...UNLIMITED_SIGN_INS,
    });
    try {
      const result = await walkthrough(server.url, `webtrusted-${Date.now().toString(36)}`);
      expect(result.tenantStatus).to.equal('ACTIVE');
    } finally {
      await server.stop();
    }
  });
});
