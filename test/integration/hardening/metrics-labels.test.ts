import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { startExtraServer, type ExtraServer } from '../../support/extra-server.js';

async function post(url: string, query: string, operationName: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, operationName }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function metricsText(url: string): Promise<string> {
  return (await fetch(new URL('/metrics', url))).text();
}

function operationLabels(metrics: string): Set<string> {
  return new Set([...metrics.matchAll(/tessera_graphql_request_duration_seconds_count\{operation="([^"]*)"/g)].map((match) => match[1]!));
}

describe('hardening: bounded operation labels (issue 13, item 2)', function () {
  this.timeout(60_000);
  let server: ExtraServer;

  before(async () => {
    server = await startExtraServer({});
  });
  after(() => server.stop());

  it('keeps /metrics small under 200 requests with random 50 KB operation names', async () => {
    const before = (await metricsText(server.url)).length;
    for (let batch = 0; batch < 10; batch += 1) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const name = `Op${randomBytes(25_000).toString('hex')}`;
          expect(await post(server.url, `query ${name} { __typename }`, name)).to.equal(200);
        }),
      );
    }
    const metrics = await metricsText(server.url);
    expect(metrics.length - before, 'growth of /metrics in bytes').to.be.below(20_000);
    const labels = operationLabels(metrics);
    expect(labels.has('other')).to.equal(true);
    for (const label of labels) expect(label).to.match(/^[A-Za-z0-9_]{1,64}$/);
  });

  it('labels well-formed names up to a cap of distinct values, then "other"', async () => {
    for (let batch = 0; batch < 13; batch += 1) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, index) => {
          const name = `Named_${batch}_${index}_${randomBytes(4).toString('hex')}`;
          expect(await post(server.url, `query ${name} { __typename }`, name)).to.equal(200);
        }),
      );
    }
    const labels = operationLabels(await metricsText(server.url));
    expect(labels.size).to.be.at.most(200 + 2); // the cap, plus "other" and "anonymous"
    expect(labels.has('other')).to.equal(true);
  });
});
