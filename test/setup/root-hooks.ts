import { startTestEnvironment, stopTestEnvironment } from './environment.js';

/** Mocha root hooks: one environment for the whole run (see environment.ts). */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await startTestEnvironment();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopTestEnvironment();
  },
};
