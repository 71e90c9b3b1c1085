import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one process (a registry per server, so tests can run several). */
export class Metrics {
  readonly registry = new Registry();
  /** The operation labels in use (bounded: `operationLabel`). */
  readonly operationLabels = new Set<string>();

  readonly requestDuration = new Histogram({
    name: 'tessera_graphql_request_duration_seconds',
    help: 'GraphQL request duration by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'tessera_graphql_errors_total',
    help: 'GraphQL errors by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly sqlStatements = new Histogram({
    name: 'tessera_sql_statements_per_request',
    help: 'SQL statements sent per GraphQL request',
    buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34],
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'tessera_jobs_total',
    help: 'Background jobs by task and outcome (error: will retry; failed: out of attempts)',
    labelNames: ['task', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly provisioningStarted = new Counter({
    name: 'tessera_provisioning_started_total',
    help: 'Tenant provisionings started',
    registers: [this.registry],
  });

  readonly provisioningFailed = new Counter({
    name: 'tessera_provisioning_failed_total',
    help: 'Tenant provisionings that failed permanently',
    registers: [this.registry],
  });

  readonly provisioningDuration = new Histogram({
    name: 'tessera_provisioning_duration_seconds',
    help: 'From sign-up to ACTIVE',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly tenantCache = new Counter({
    name: 'tessera_tenant_cache_lookups_total',
    help: 'Tenant directory lookups by result (stale: an expired entry answered a live subscriber check while it is re-read)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tessera_' });
  }
}
