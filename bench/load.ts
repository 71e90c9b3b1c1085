import autocannon from 'autocannon';

export interface LoadRequest {
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** A fresh request (random tenant, project, caller) for every call. */
  nextRequest(): LoadRequest;
  /** An error message for a wrong response body (parsed JSON), or null. */
  check(json: unknown): string | null;
  /** Between warm-up and the measured window (reset counters here). */
  beforeMeasure?(): Promise<void>;
}

export interface LoadResult {
  requests: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  errors: {
    total: number;
    transport: number;
    timeouts: number;
    non2xx: number;
    graphql: number;
    checkFailures: number;
    firstFailure: string | null;
  };
  elapsedSeconds: number;
}

/** Parse and check one response in this many (every body is still scanned for "errors"). */
const CHECK_EVERY = 10;

/**
 * Closed-loop load with autocannon (keep-alive connections, no rate limit): a warm-up, then the
 * measured window. Latency percentiles come from every response's own duration (autocannon's
 * histogram has 1 ms buckets), as in the anchor's load generator.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await phase(options, options.warmupSeconds, false);
  await options.beforeMeasure?.();
  return phase(options, options.durationSeconds, true);
}

async function phase(options: LoadOptions, seconds: number, record: boolean): Promise<LoadResult> {
  const latencies: number[] = [];
  let responses = 0;
  let graphql = 0;
  let checkFailures = 0;
  let firstFailure: string | null = null;
  const fail = (message: string) => {
    firstFailure ??= message;
  };
  const startedAt = performance.now();
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    method: 'POST',
    pipelining: 1,
    timeout: 10,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    requests: [
      {
        setupRequest(request) {
          const next = options.nextRequest();
          Object.assign(request.headers, next.headers);
          request.body = next.body;
          return request;
        },
        onResponse(status, body) {
          responses++;
          if (body.includes('"errors"')) {
            graphql++;
            fail(`HTTP ${status}: ${body.slice(0, 300)}`);
          } else if (responses % CHECK_EVERY === 1) {
            let problem: string | null;
            try {
              problem = options.check(JSON.parse(body));
            } catch {
              problem = `unparseable body (HTTP ${status}): ${body.slice(0, 200)}`;
            }
            if (problem) {
              checkFailures++;
              fail(problem);
            }
          }
        },
      },
    ],
  });
  if (record) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const errors = { transport: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, graphql, checkFailures };
  return {
    requests: latencies.length,
    rps: round(latencies.length / result.duration),
    latencyMs: {
      mean: round(latencies.reduce((sum, ms) => sum + ms, 0) / (latencies.length || 1)),
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? Number.NaN),
    },
    errors: { total: Object.values(errors).reduce((sum, n) => sum + n, 0), ...errors, firstFailure },
    elapsedSeconds: round(elapsedSeconds),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
