import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { requestLogStore } from './logger.js';

/**
 * Stamps every span started inside a request (GraphQL, SQL) with the request's id and tenant,
 * read from the same AsyncLocalStorage as the log lines; the request's own HTTP span gets them
 * from `annotateRequestSpan` once the tenant is resolved.
 */
export class RequestAttributesProcessor implements SpanProcessor {
  onStart(span: Span, _context: Context): void {
    const fields = requestLogStore.getStore();
    if (!fields) return;
    span.setAttribute('request.id', fields.request_id);
    if (fields.tenant_id) span.setAttribute('tenant.id', fields.tenant_id);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
