/**
 * Unicode classes of single UTF-16 code units from a table filled on first use, for loops that would otherwise run
 * a regex per character. Each answer is exactly what the `u`-flag regex gives for that one code unit as a string
 * (`/\p{L}/u`, `/\p{Lu}/u`, `/\p{Ll}/u`, `/\p{N}/u`, `/\s/`). A surrogate alone is no letter or number: text with
 * astral characters (a surrogate pair is one code point to a `u` regex) needs the regex, see `hasSurrogate`.
 */

const KNOWN = 1;
const LETTER = 2;
const UPPER = 4;
const LOWER = 8;
const NUMBER = 16;
const SPACE = 32;

const classes = new Uint8Array(0x10000);

function classOf(code: number): number {
  let bits = classes[code];
  if (bits === 0) {
    const character = String.fromCharCode(code);
    bits =
      KNOWN |
      (/\p{L}/u.test(character) ? LETTER : 0) |
      (/\p{Lu}/u.test(character) ? UPPER : 0) |
      (/\p{Ll}/u.test(character) ? LOWER : 0) |
      (/\p{N}/u.test(character) ? NUMBER : 0) |
      (/\s/.test(character) ? SPACE : 0);
    classes[code] = bits;
  }
  return bits;
}

/** `/\p{L}/u` of one code unit. */
export const isLetterCode = (code: number): boolean => (classOf(code) & LETTER) !== 0;
/** `/\p{Lu}/u` of one code unit. */
export const isUpperCode = (code: number): boolean => (classOf(code) & UPPER) !== 0;
/** `/\p{Ll}/u` of one code unit. */
export const isLowerCode = (code: number): boolean => (classOf(code) & LOWER) !== 0;
/** `/[\p{L}\p{N}]/u` of one code unit. */
export const isLetterOrNumberCode = (code: number): boolean => (classOf(code) & (LETTER | NUMBER)) !== 0;
/** `/\s/` of one code unit. */
export const isSpaceCode = (code: number): boolean => (classOf(code) & SPACE) !== 0;

/** True when `text` holds a UTF-16 surrogate (an astral character, or a broken one). */
export function hasSurrogate(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdfff) return true;
  }
  return false;
}

/** Number of letters in `text`: `(text.match(/\p{L}/gu) ?? []).length` without building the array. */
export function countLetters(text: string): number {
  if (hasSurrogate(text)) return (text.match(/\p{L}/gu) ?? []).length;
  let count = 0;
  for (let index = 0; index < text.length; index++) if (isLetterCode(text.charCodeAt(index))) count++;
  return count;
}

/** `pattern.test(text)` for a one-character class `pattern` whose test of one code unit is `inClass`. */
function hasCodeIn(text: string, inClass: (code: number) => boolean, pattern: RegExp): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inClass(code)) return true;
    if (code >= 0xd800 && code <= 0xdfff) return pattern.test(text);
  }
  return false;
}

/** `/\p{L}/u.test(text)`. */
export function hasLetter(text: string): boolean {
  return hasCodeIn(text, isLetterCode, /\p{L}/u);
}

/** `/\p{Ll}/u.test(text)`. */
export function hasLowerCase(text: string): boolean {
  return hasCodeIn(text, isLowerCode, /\p{Ll}/u);
}
