/**
 * The fast paths of `foldSwedish` (ASCII, character by character below U+0300) and the code-unit class table of
 * `chars.ts` give exactly what the plain definitions give (lower case + NFD + mark removal; the `u`-flag regexes).
 */
import { describe, expect, it } from 'vitest';
import { countLetters, hasSurrogate, isLetterCode, isLetterOrNumberCode, isLowerCode, isSpaceCode, isUpperCode } from '../src/core/swedish/chars.ts';
import { foldSwedish } from '../src/core/swedish/fold.ts';

const EXTRA: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ð: 'd', þ: 'th', ł: 'l' };
const reference = (text: string): string =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øæœßðþł]/g, (character) => EXTRA[character]);

describe('foldSwedish', () => {
  it('folds every pair of characters below U+0300 as the full definition does, in short and long texts', () => {
    const single = Array.from({ length: 0x300 }, (_, code) => String.fromCharCode(code));
    for (const left of single) {
      for (const right of single) {
        const text = left + right;
        if (foldSwedish(text) !== reference(text)) expect(foldSwedish(text)).toBe(reference(text));
      }
      // Long text: every character after and before `left`.
      const long = single.map((right) => left + right).join('');
      expect(foldSwedish(long)).toBe(reference(long));
    }
  });

  it('folds ASCII, Swedish, long and combining-mark texts as the full definition does', () => {
    const texts = [
      'Socialnämnden Centrum',
      'ÅTERRAPPORTERING för Göteborg',
      'İstanbul Ærø Łódź straße',
      'fo\u0308rvaltningen e\u0301 \u0130',
      'Ω Σίσυφος ΣΑΣ',
      'x'.repeat(70) + 'ä',
      'MIXED ascii 123 §-text',
      '𝐀𝐁 emoji 😀 och ö',
    ];
    for (const text of texts) expect(foldSwedish(text)).toBe(reference(text));
  });
});

describe('chars', () => {
  it('classifies every code unit as the u-flag regexes do', () => {
    for (let code = 0; code < 0x10000; code += 1) {
      const character = String.fromCharCode(code);
      const expected = [/\p{L}/u.test(character), /\p{Lu}/u.test(character), /\p{Ll}/u.test(character), /[\p{L}\p{N}]/u.test(character), /\s/.test(character)];
      const actual = [isLetterCode(code), isUpperCode(code), isLowerCode(code), isLetterOrNumberCode(code), isSpaceCode(code)];
      if (actual.join() !== expected.join()) expect([code, ...actual]).toEqual([code, ...expected]);
    }
  });

  it('counts letters as a global \\p{L} match does, astral letters included', () => {
    for (const text of ['', '123 !?', 'Nämnden § 47', 'a𝐀b', '😀x']) {
      expect(countLetters(text)).toBe((text.match(/\p{L}/gu) ?? []).length);
    }
    expect(hasSurrogate('a𝐀b')).toBe(true);
    expect(hasSurrogate('åäö')).toBe(false);
  });
});

describe('chars: text tests', () => {
  it('hasLetter and hasLowerCase answer as the u-flag regexes do, astral text included', async () => {
    const { hasLetter, hasLowerCase } = await import('../src/core/swedish/chars.ts');
    for (const text of ['', '123', 'ABC', 'Abc', '§ 4', '𝐀', '𝐚', '1𝐚', 'é', 'ÅÄÖ', '😀']) {
      expect(hasLetter(text)).toBe(/\p{L}/u.test(text));
      expect(hasLowerCase(text)).toBe(/\p{Ll}/u.test(text));
    }
  });
});
