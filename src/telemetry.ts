/**
 * OpenTelemetry tracing, loaded before the application with `node --import ./dist/src/telemetry.js`
 * (what `npm start` and `npm run worker` do): pg and graphql are ES modules here, so they can only
 * be instrumented through a loader hook registered before they are imported. Without
 * OTEL_EXPORTER_OTLP_ENDPOINT nothing is loaded or started (no cost). The standard OTEL_* variables
 * (service name, headers, sampler) apply.
 */
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

/** Starts the SDK with HTTP, GraphQL and pg instrumentation; spans go to `spanProcessors`, or over OTLP. */
export async function startTelemetry(spanProcessors?: SpanProcessor[]): Promise<{ shutdown(): Promise<void> }> {
  const { register } = await import('node:module');
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [
    { NodeSDK },
    { HttpInstrumentation },
    { GraphQLInstrumentation },
    { PgInstrumentation },
    { BatchSpanProcessor },
    { OTLPTraceExporter },
    { RequestAttributesProcessor },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-graphql'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('./engine/observability/request-attributes.js'),
  ]);
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'tessera',
    spanProcessors: [
      new RequestAttributesProcessor(),
      ...(spanProcessors ?? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })]),
    ],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
      }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  return { shutdown: () => sdk.shutdown() };
}

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const telemetry = await startTelemetry();
  // A collector that is down must not crash the process on the way out (export errors are logged by the SDK).
  process.once('beforeExit', () => void telemetry.shutdown().catch(() => undefined));
}
