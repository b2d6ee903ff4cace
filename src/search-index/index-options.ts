import type { Options } from 'minisearch';

/** What the index stores per passage: pre-analysed terms of the sentence and of its context. */
export interface IndexedPassage {
  id: string;
  docId: string;
  /** The sentence's analysed terms, space-separated (see {@link passagesOf}). */
  text: string;
  /** Analysed terms of the article title and section heading: a weak signal for which article a question is about. */
  context: string;
}

// Terms never hold spaces (aliases are single words; the analyzer splits on everything else).
const splitTerms = (text: string): string[] => (text === '' ? [] : text.split(' '));

/**
 * The one set of MiniSearch options. `MiniSearch.loadJSON` needs the same options as the index
 * that was saved, so snapshots and fresh builds both read them from here.
 */
export const INDEX_OPTIONS: Options<IndexedPassage> = {
  idField: 'id',
  fields: ['text', 'context'],
  // Analysis (normalisation, aliases, stop words, stemming) runs once per passage in passagesOf;
  // the index receives the resulting terms, so a build never analyses a sentence twice.
  tokenize: splitTerms,
  processTerm: (term) => term,
  searchOptions: {
    // Pre-analysed query terms pass through untouched.
    tokenize: splitTerms,
    processTerm: (term) => term,
    boost: { text: 1, context: 0.25 },
  },
};
