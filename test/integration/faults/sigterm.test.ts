import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { print } from 'graphql';
import { CreateProjectDocument, ProvisionTenantDocument } from '../../generated/graphql.js';
import { pauseSharedWorker, resumeSharedWorker } from '../../setup/environment.js';
import { provisionTenant, TEST_PASSWORD, uniqueSlug, waitForProvisioning, type TestTenant } from '../../support/fixtures.js';
import { startGatewayProcess, startWorkerProcess } from '../../support/processes.js';
import { waitUntil } from '../../support/wait.js';

type Result =
  | { kind: 'answered'; status: number; body: { data?: any; errors?: { extensions?: { code?: string } }[] } }
  | { kind: 'refused' }
  | { kind: 'broken'; error: string };
type Outcome = Result & { startedAt: number };

/** One POST on a fresh connection (no keep-alive): either refused at connect, answered completely, or broken. */
function post(url: string, query: string, variables: object, token?: string): Promise<Outcome> {
  const startedAt = Date.now();
  return new Promise<Result>((resolve) => {
    const body = JSON.stringify({ query, variables });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', (error) => resolve({ kind: 'broken', error: error.message }));
      res.on('end', () => {
        try {
          resolve({ kind: 'answered', status: res.statusCode ?? 0, body: JSON.parse(text) as { data?: any } });
        } catch {
          resolve({ kind: 'broken', error: `incomplete body: ${text.slice(0, 200)}` });
        }
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'broken', error: `${error.code} ${error.message}` }),
    );
    req.end(body);
  }).then((outcome): Outcome => ({ ...outcome, startedAt }));
}

describe('faults: SIGTERM under load', function () {
  this.timeout(120_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await provisionTenant('sigterm');
    // Jobs must be run by the worker processes of this test only.
    await pauseSharedWorker();
  });

  after(async () => {
    await resumeSharedWorker();
  });

  it('finishes every request in flight, exits 0, and loses no job', async () => {
    const gateway = await startGatewayProcess();
    const worker = await startWorkerProcess();
    const outcomes: Outcome[] = [];
    const signUps: { provisioningId: string; token: string }[] = [];
    let running = true;

    const projectLoad = async () => {
      while (running) {
        const outcome = await post(gateway.url, print(CreateProjectDocument), { input: { name: 'Under SIGTERM' } }, tenant.token);
        outcomes.push(outcome);
        if (outcome.kind === 'refused') return;
      }
    };
    const signUpLoad = async () => {
      while (running) {
        const slug = uniqueSlug('sigterm-job');
        const outcome = await post(gateway.url, print(ProvisionTenantDocument), {
          input: {
            name: slug,
            slug,
            ownerEmail: `owner@${slug}.example.com`,
            ownerPassword: TEST_PASSWORD,
            ownerName: 'O',
            withSampleData: false,
          },
        });
        outcomes.push(outcome);
        if (outcome.kind === 'refused') return;
        if (outcome.kind === 'answered' && outcome.body.data?.provisionTenant) {
          signUps.push({
            provisioningId: outcome.body.data.provisionTenant.provisioning.id,
            token: outcome.body.data.provisionTenant.token,
          });
        }
      }
    };
    const load = [...Array.from({ length: 4 }, projectLoad), ...Array.from({ length: 2 }, signUpLoad)];
    await waitUntil(
      async () => signUps.length,
      (count) => count >= 3,
      30_000,
    );

    const stoppedAt = Date.now();
    const [gatewayExit, workerExit] = await Promise.all([gateway.stop(), worker.stop()]);
    running = false;
    await Promise.all(load);

    expect(gatewayExit, gateway.output().slice(-2000)).to.equal(0);
    expect(workerExit, worker.output().slice(-2000)).to.equal(0);
    // A request sent before SIGTERM is answered completely. One sent after it may be refused (or
    // reset, if it was still in the kernel's backlog when the listener closed): it never got in.
    const broken = outcomes.filter((outcome) => outcome.kind === 'broken' && outcome.startedAt < stoppedAt);
    expect(broken, 'requests cut off mid-flight').to.deep.equal([]);
    expect(
      outcomes.filter((outcome) => outcome.kind === 'answered' && outcome.startedAt >= stoppedAt).length,
      'served while draining',
    ).to.be.greaterThan(0);
    const answered = outcomes.filter((outcome): outcome is Extract<Outcome, { kind: 'answered' }> => outcome.kind === 'answered');
    expect(answered.length).to.be.greaterThan(10);
    for (const answer of answered) {
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      expect(answer.body.errors, JSON.stringify(answer.body.errors)).to.equal(undefined);
    }

    // Every sign-up answered before the stop has its provisioning job; a new worker completes them all.
    const next = await startWorkerProcess();
    try {
      await Promise.all(signUps.map((run) => waitForProvisioning(run.provisioningId, run.token, 'COMPLETED', 60_000)));
    } finally {
      await next.stop();
    }
  });
});
