/** The most distinct operation labels one process keeps; later names share `other`. */
export const MAX_OPERATION_LABELS = 200;

const LABEL_SHAPE = /^[A-Za-z0-9_]{1,64}$/;

/**
 * The Prometheus label (and log field) for a client-chosen operation name. Labels are kept for
 * the life of the process, so only a bounded set gets through: names of at most 64 characters of
 * `[A-Za-z0-9_]`, the first `MAX_OPERATION_LABELS` of them (per `seen`, one set per registry);
 * anything else is `other`, and an unnamed operation is `anonymous`. The one place that decides,
 * so a list of trusted documents can replace the rule.
 */
export function operationLabel(name: string | null | undefined, seen: Set<string>): string {
  if (!name) return 'anonymous';
  if (!LABEL_SHAPE.test(name)) return 'other';
  if (seen.has(name)) return name;
  if (seen.size >= MAX_OPERATION_LABELS) return 'other';
  seen.add(name);
  return name;
}

/** A client-chosen operation name as a log field: at most 64 characters. */
export function operationLogField(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}
