import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { MINIMUM_NODE, unsupportedNodeMessage } from '../../src/node-version.js';

describe('the Node.js version check of the entry points', () => {
  it('accepts the minimum and anything newer', () => {
    for (const version of [`${MINIMUM_NODE}.0`, '22.23.3', '23.0.0', '24.1.0', '100.0.0']) {
      expect(unsupportedNodeMessage(version, 'npm start'), version).to.equal(undefined);
    }
  });

  it('refuses older ones with one line that names the required version and what to run', () => {
    for (const version of ['20.20.2', '22.16.9', '18.0.0', '21.99.0']) {
      const message = unsupportedNodeMessage(version, 'npm run worker');
      expect(message, version).to.contain(`>= ${MINIMUM_NODE}`).and.contain(version).and.contain('`npm run worker`');
      expect(message).not.to.contain('\n');
    }
  });

  it('matches package.json engines', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    expect(manifest.engines.node).to.equal(`>=${MINIMUM_NODE}`);
  });
});
