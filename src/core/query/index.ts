/**
 * Query understanding (rule-based, no LLM): committee gazetteer, follow-up rewriting, Swedish synonyms,
 * English glossary and intent. Pure: usable on Node and in a Cloudflare Worker.
 */
export { createGazetteer, type CommitteeMention, type Gazetteer } from './gazetteer.ts';
export { understandQuery, type QueryPlan, type UnderstandOptions } from './understand-query.ts';
export {
  defaultSynonyms,
  synonymsOf,
  findSynonyms,
  mergeSynonyms,
  parseSynonymFile,
  parseSynonymTable,
  type SynonymTable,
  type SynonymUse,
} from './synonyms.ts';
export { detectLanguage, translateToSwedish, GLOSSARY_SIZE } from './english.ts';
export { askedForOf, assignmentOriginOf, listKindOf, type AskedFor, type ListKind } from './intent.ts';
export { tokenizeWithOffsets, type Token } from './tokens.ts';
