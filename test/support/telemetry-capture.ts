/**
 * `node --import` entry for the tracing test: the app's telemetry with an in-memory exporter whose
 * finished spans are also appended, one JSON line each, to TELEMETRY_SPANS_FILE for the test to read.
 */
import { appendFileSync } from 'node:fs';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '../../src/telemetry.js';

class FileBackedExporter extends InMemorySpanExporter {
  override export(spans: ReadableSpan[], done: Parameters<InMemorySpanExporter['export']>[1]): void {
    for (const span of spans) {
      const line = {
        name: span.name,
        kind: span.kind,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        attributes: span.attributes,
      };
      appendFileSync(process.env.TELEMETRY_SPANS_FILE!, `${JSON.stringify(line)}\n`);
    }
    super.export(spans, done);
  }
}

await startTelemetry([new SimpleSpanProcessor({ exporter: new FileBackedExporter() })]);
