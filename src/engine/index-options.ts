import type { Options } from 'minisearch';
import { analyzeTerms } from '../text/analyze.ts';

/** What the index stores per passage: the searchable text and its context line. */
export interface IndexedPassage {
  id: string;
  docId: string;
  /** The sentence. */
  text: string;
  /** Article title and section heading: a weak signal for which article a question is about. */
  context: string;
}

/**
 * The one set of MiniSearch options. `MiniSearch.loadJSON` needs the same options as the index
 * that was saved, so snapshots and fresh builds both read them from here.
 */
export const INDEX_OPTIONS: Options<IndexedPassage> = {
  idField: 'id',
  fields: ['text', 'context'],
  storeFields: ['docId'],
  // Analysis (normalisation, aliases, stop words, stemming) happens in the tokenizer so that the
  // engine can run the very same analysis on questions and on snippets for highlighting.
  tokenize: (text) => analyzeTerms(text),
  processTerm: (term) => term,
  searchOptions: {
    // Pre-analysed query terms pass through untouched.
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
    boost: { text: 1, context: 0.25 },
  },
};
