/** Types of the two analysis packages that ship none (see `analyzer.ts`). */
declare module 'snowball-stemmers' {
  interface SnowballStemmer {
    stem(word: string): string;
  }
  const snowball: { newStemmer(language: string): SnowballStemmer; algorithms(): string[] };
  export default snowball;
}

declare module 'stopword' {
  /** Swedish stop words (418, lower case, with å/ä/ö). */
  export const swe: string[];
  /** English stop words. */
  export const eng: string[];
}
