import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { requestLogStore } from './logger.js';

/** Puts the request id and tenant on the active (HTTP) span; a no-op when tracing is off. */
export function annotateRequestSpan(requestId: string, tenantId: string | undefined): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttribute('request.id', requestId);
  if (tenantId) span.setAttribute('tenant.id', tenantId);
}

/**
 * Runs `work` as no request's: without the request's log fields and outside its trace. For
 * background work a request only set off (the job outbox's relay), which must not be counted in
 * that request's SQL nor appear in its trace.
 */
export function outsideRequest<T>(work: () => T): T {
  return requestLogStore.exit(() => context.with(ROOT_CONTEXT, work));
}
