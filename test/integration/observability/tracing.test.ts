import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { CreateProjectDocument } from '../../generated/graphql.js';
import { provisionTenant, type TestTenant } from '../../support/fixtures.js';
import { itemAt } from '../../support/lists.js';
import { adminQuery } from '../../support/sql.js';
import { startGatewayProcess, type ChildService } from '../../support/processes.js';
import { waitUntil } from '../../support/wait.js';

interface SpanLine {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

const SERVER_KIND = 1;
const captureEntry = fileURLToPath(new URL('../../support/telemetry-capture.js', import.meta.url));

/**
 * Tracing is instrumented through a loader hook, so it needs a process of its own started with
 * `--import` (as `npm start` does): a gateway child whose finished spans land in a file.
 */
describe('OpenTelemetry tracing (a gateway process with an in-memory exporter)', function () {
  this.timeout(60_000);
  const spansFile = join(tmpdir(), `tessera-spans-${randomUUID()}.jsonl`);
  let gateway: ChildService & { url: string };
  let tenant: TestTenant;

  before(async () => {
    tenant = await provisionTenant('otel');
    gateway = await startGatewayProcess({ TELEMETRY_SPANS_FILE: spansFile }, ['--import', captureEntry]);
  });

  after(async () => {
    await gateway?.stop();
    rmSync(spansFile, { force: true });
  });

  const spans = (): SpanLine[] => {
    try {
      return readFileSync(spansFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as SpanLine);
    } catch {
      return [];
    }
  };

  const send = async (query: string, variables: object, requestId: string) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
  };

  it('records one trace per request: its HTTP span, GraphQL spans and SQL spans, all carrying tenant.id and request.id', async () => {
    const mutationId = randomUUID();
    const queryId = randomUUID();
    await send(print(CreateProjectDocument), { input: { name: 'Traced' } }, mutationId);
    // A query that reads tenant rows: a query needing none (e.g. currentTenant, served from the
    // caches) sends no SQL at all now that its tenant session is held until a statement needs it.
    await send('{ projects(first: 1) { edges { node { id } } } }', {}, queryId);
    // The mutation's usage job left through the outbox once its relay ran: background work the
    // request set off, whose spans must not join the request's trace.
    await waitUntil(
      () => adminQuery(`select 1 from job_outbox where payload->>'tenantId' = $1`, [tenant.id]),
      (rows) => rows.length === 0,
      10_000,
    );

    for (const requestId of [mutationId, queryId]) {
      const server = await waitUntil(
        async () => spans().filter((span) => span.kind === SERVER_KIND && span.attributes['request.id'] === requestId),
        (found) => found.length > 0,
        10_000,
      );
      expect(server, 'one HTTP server span per request').to.have.length(1);
      const root = itemAt(server, 0);
      expect(root.parentSpanId).to.equal(undefined);
      expect(root.attributes['tenant.id']).to.equal(tenant.id);

      const trace = spans().filter((span) => span.traceId === root.traceId);
      // Everything of this request is in its trace, and nothing of another request.
      expect(
        spans()
          .filter((span) => span.attributes['request.id'] === requestId)
          .every((span) => span.traceId === root.traceId),
      ).to.equal(true);
      expect(
        trace.every((span) => span.attributes['request.id'] === requestId),
        JSON.stringify(trace.map((s) => [s.name, s.attributes['request.id']])),
      ).to.equal(true);

      const sql = trace.filter(
        (span) => span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql',
      );
      const graphql = trace.filter((span) => span.name.startsWith('graphql.'));
      expect(sql.length, JSON.stringify(trace.map((s) => s.name))).to.be.greaterThan(0);
      expect(graphql.length, JSON.stringify(trace.map((s) => s.name))).to.be.greaterThan(0);
      // SQL run inside the request's tenant session carries the tenant.
      expect(sql.some((span) => span.attributes['tenant.id'] === tenant.id)).to.equal(true);
    }
    const mutationTrace = spans().find((span) => span.attributes['request.id'] === mutationId)!.traceId;
    const queryTrace = spans().find((span) => span.attributes['request.id'] === queryId)!.traceId;
    expect(mutationTrace).to.not.equal(queryTrace);
  });
});
