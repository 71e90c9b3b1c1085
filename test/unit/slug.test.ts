import { expect } from 'chai';
import fc from 'fast-check';
import { checkSlug, RESERVED_SLUGS, SLUG_MAX_LENGTH, SLUG_MIN_LENGTH } from '../../src/engine/tenancy/slug.js';

const SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const word = fc.array(alnum, { minLength: 1, maxLength: 10 }).map((chars) => chars.join(''));
const wellFormed = fc
  .array(word, { minLength: 1, maxLength: 5 })
  .map((words) => words.join('-'))
  .filter((slug) => slug.length >= SLUG_MIN_LENGTH && slug.length <= SLUG_MAX_LENGTH && !RESERVED_SLUGS.has(slug));

describe('slug rule', () => {
  it('accepts every well-formed, unreserved slug unchanged', () => {
    fc.assert(
      fc.property(wellFormed, (slug) => {
        expect(checkSlug(slug)).to.deep.equal({ ok: true, slug });
      }),
    );
  });

  it('only ever returns slugs of the documented shape and length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (input) => {
        const result = checkSlug(input);
        if (result.ok) {
          expect(result.slug).to.match(SHAPE);
          expect(result.slug.length).to.be.within(SLUG_MIN_LENGTH, SLUG_MAX_LENGTH);
          expect(RESERVED_SLUGS.has(result.slug)).to.equal(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent: a normalised slug normalises to itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (input) => {
        const result = checkSlug(input);
        if (result.ok) expect(checkSlug(result.slug)).to.deep.equal(result);
      }),
    );
  });

  it('refuses hyphens at either end or doubled, and reserved words', () => {
    for (const bad of ['-acme', 'acme-', 'ac--me', 'www', 'api', 'admin', 'ab', 'a'.repeat(49), 'ac_me', 'ac me', 'acmé']) {
      expect(checkSlug(bad).ok, bad).to.equal(false);
    }
  });

  it('applies NFKC and lower case before checking', () => {
    expect(checkSlug('ＡＣＭＥ')).to.deep.equal({ ok: true, slug: 'acme' });
    expect(checkSlug('  Acme-Corp ')).to.deep.equal({ ok: true, slug: 'acme-corp' });
    expect(checkSlug('ｗｗｗ').ok).to.equal(false);
  });
});
