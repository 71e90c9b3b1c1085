import { trace } from '@opentelemetry/api';

/** Puts the request id and tenant on the active (HTTP) span; a no-op when tracing is off. */
export function annotateRequestSpan(requestId: string, tenantId: string | undefined): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttribute('request.id', requestId);
  if (tenantId) span.setAttribute('tenant.id', tenantId);
}
