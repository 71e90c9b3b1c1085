import { visit, type DocumentNode } from 'graphql';
import { BadUserInputError } from './errors.js';
import { containsNul, NUL_MESSAGE } from './nul.js';

/** The path of the first string holding U+0000, which PostgreSQL cannot store in text (nor accept as a parameter). */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return containsNul(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, `${path}.${index}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Parsed documents already walked and found free of NUL (Apollo hands the same object to every request with that text). */
const cleanDocuments = new WeakSet<DocumentNode>();

/**
 * Refuses NUL characters anywhere in a request's variables or inline strings, for every operation
 * at once: otherwise PostgreSQL breaks the connection's message ("invalid message format") and the
 * client would see a 500 wherever a validator was forgotten.
 */
export function assertStorableText(document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  const inVariables = nulPath(variables ?? {}, '');
  if (inVariables) throw BadUserInputError.request(inVariables, NUL_MESSAGE);
  if (cleanDocuments.has(document)) return;
  visit(document, {
    StringValue(node) {
      if (containsNul(node.value)) throw BadUserInputError.request('query', NUL_MESSAGE);
    },
  });
  cleanDocuments.add(document);
}
