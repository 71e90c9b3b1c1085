import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/engine/config.js';

describe('config', () => {
  it('has working defaults for local development', () => {
    const config = loadConfig({});
    expect(config).to.include({ env: 'development', host: '127.0.0.1', port: 4000 });
    expect(config.database.url).to.equal(undefined);
    expect(Object.isFrozen(config.database)).to.equal(true);
  });

  it('names every variable that is wrong', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short' });
      expect.fail('loadConfig accepted a bad environment');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'JWT_SECRET']) expect(message).to.contain(name);
    }
  });

  it('requires the production settings in production and has no secret fallbacks', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /JWT_SECRET.*required in production/s);
  });
});
