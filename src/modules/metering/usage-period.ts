/** A billing period: one calendar month in UTC, `[start, end)`. */
export interface UsagePeriod {
  readonly start: Date;
  readonly end: Date;
}

export function monthOf(at: Date = new Date()): UsagePeriod {
  return {
    start: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)),
    end: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)),
  };
}

/** `2026-12`: the period's part of counter keys and idempotency keys. */
export function periodLabel(period: UsagePeriod): string {
  return period.start.toISOString().slice(0, 7);
}

export function secondsUntilEnd(period: UsagePeriod, now: Date = new Date()): number {
  return Math.max(1, Math.ceil((period.end.getTime() - now.getTime()) / 1000));
}
