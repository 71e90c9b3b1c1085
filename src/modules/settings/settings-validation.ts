import type { FieldError } from '../../engine/graphql/errors.js';
import { OutboundUrlError, parseOutboundUrl, resolveOutboundAddress } from '../../engine/net/outbound-url.js';

const URL_MAX = 2000;
const COLOR = /^#[0-9a-f]{6}$/i;

/** Collects every problem of one input, so a client fixes them all in one round. */
export class FieldErrors {
  readonly errors: FieldError[] = [];

  add(field: string, message: string): void {
    this.errors.push({ field, message });
  }
}

/** The canonical IANA name of `value`, or undefined (recorded) when Intl does not know it. */
export function timezoneOf(value: string, field: string, errors: FieldErrors): string | undefined {
  if (value.length > 64) return void errors.add(field, 'Not an IANA time zone');
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return void errors.add(field, 'Not an IANA time zone');
  }
}

/** The canonical BCP 47 tag of `value`, or undefined (recorded). */
export function localeOf(value: string, field: string, errors: FieldErrors): string | undefined {
  try {
    const [canonical] = value.length <= 35 && value.trim() === value ? Intl.getCanonicalLocales(value) : [];
    if (canonical) return canonical;
  } catch {
    // RangeError: not a well-formed language tag.
  }
  return void errors.add(field, 'Not a BCP 47 language tag');
}

/** `#rrggbb`, lower-cased, or undefined (recorded). */
export function colorOf(value: string, field: string, errors: FieldErrors): string | undefined {
  if (COLOR.test(value)) return value.toLowerCase();
  return void errors.add(field, 'Must be a colour as #rrggbb');
}

/**
 * An outbound URL we may call or show: https, no credentials, and a host whose every address is
 * public (no private, loopback, link-local or metadata address), checked with the shared guard.
 */
export async function outboundUrlOf(value: string, field: string, errors: FieldErrors): Promise<string | undefined> {
  if (value.length > URL_MAX) return void errors.add(field, `At most ${URL_MAX} characters`);
  try {
    const url = parseOutboundUrl(value);
    await resolveOutboundAddress(url);
    return url.toString();
  } catch (error) {
    if (error instanceof OutboundUrlError) return void errors.add(field, error.message);
    throw error;
  }
}
