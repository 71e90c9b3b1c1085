/**
 * U+0000, the one character PostgreSQL text cannot hold. MikroORM inlines values into the SQL text,
 * so a NUL breaks the query message itself ("invalid message format") and the client would see a
 * 500: every text input is checked against it here, never with a regex of its own elsewhere.
 */
export const NUL = '\u0000';

/** The message a client sees for text holding a NUL. */
export const NUL_MESSAGE = 'Text may not contain NUL characters';

/** True when `text` holds U+0000. */
export function containsNul(text: string): boolean {
  return text.includes(NUL);
}
