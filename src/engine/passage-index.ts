import MiniSearch, { type SearchResult } from 'minisearch';
import type { CorpusDocument } from '../corpus/schema.ts';
import { analyzeTerms } from '../text/analyze.ts';
import { INDEX_OPTIONS, type IndexedPassage } from './index-options.ts';
import { type Passage, passagesOf } from './passages.ts';

/** A weighted group of pre-analysed terms to search for. */
export interface TermQuery {
  terms: string[];
  /** Multiplies the BM25 score of matches (1 = neutral). */
  boost: number;
}

/**
 * The passage store and MiniSearch index, kept in step: articles, their passages, and the
 * per-term passage counts that idf needs. Knows nothing about questions or answers.
 */
export interface PassageIndex {
  upsert(document: CorpusDocument): void;
  remove(docId: string): boolean;
  document(docId: string): CorpusDocument | undefined;
  documents(): IterableIterator<CorpusDocument>;
  /** An article's passages in order (empty when unknown). */
  passagesOf(docId: string): readonly Passage[];
  passage(id: string): Passage | undefined;
  /** Terms of the article title and the passage's section heading. */
  contextTerms(passage: Passage): ReadonlySet<string>;
  /** True when some passage holds the term. */
  has(term: string): boolean;
  /** BM25 inverse document frequency of a term over passages (highest for unknown terms). */
  idf(term: string): number;
  /** Index terms within a small edit distance of an unknown term (typos, transliterations). */
  spellingMatches(term: string): string[];
  /** BM25 search: passages matching any of the queries, best first, at most `limit`. */
  search(queries: readonly TermQuery[], limit: number): SearchResult[];
  readonly passageCount: number;
}

/** Create an empty passage index; fill it with {@link PassageIndex.upsert}. */
export function createPassageIndex(): PassageIndex {
  const index = new MiniSearch<IndexedPassage>(INDEX_OPTIONS);
  const docs = new Map<string, CorpusDocument>();
  const byDoc = new Map<string, Passage[]>();
  const passagesById = new Map<string, Passage>();
  const documentFrequency = new Map<string, number>();
  const contextCache = new Map<string, Set<string>>();

  const countTerms = (passage: Passage, delta: 1 | -1) => {
    for (const term of passage.terms) {
      const next = (documentFrequency.get(term) ?? 0) + delta;
      if (next > 0) documentFrequency.set(term, next);
      else documentFrequency.delete(term);
    }
  };

  const remove = (docId: string): boolean => {
    const old = byDoc.get(docId);
    if (!old) return false;
    for (const passage of old) {
      index.discard(passage.id);
      passagesById.delete(passage.id);
      countTerms(passage, -1);
    }
    byDoc.delete(docId);
    docs.delete(docId);
    for (const key of contextCache.keys()) if (key.startsWith(`${docId}\u0000`)) contextCache.delete(key);
    return true;
  };

  const idf = (term: string): number => {
    const n = passagesById.size;
    const df = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  return {
    upsert(document) {
      remove(document.id);
      const passages = passagesOf(document);
      docs.set(document.id, document);
      byDoc.set(document.id, passages);
      for (const passage of passages) {
        passagesById.set(passage.id, passage);
        countTerms(passage, 1);
      }
      index.addAll(
        passages.map((passage) => ({
          id: passage.id,
          docId: passage.docId,
          text: passage.text,
          context: `${document.title} ${passage.heading ?? ''}`,
        })),
      );
    },
    remove,
    document: (docId) => docs.get(docId),
    documents: () => docs.values(),
    passagesOf: (docId) => byDoc.get(docId) ?? [],
    passage: (id) => passagesById.get(id),
    contextTerms(passage) {
      const key = `${passage.docId}\u0000${passage.heading ?? ''}`;
      let terms = contextCache.get(key);
      if (!terms) {
        terms = new Set(analyzeTerms(`${docs.get(passage.docId)?.title ?? ''} ${passage.heading ?? ''}`));
        contextCache.set(key, terms);
      }
      return terms;
    },
    has: (term) => documentFrequency.has(term),
    idf,
    spellingMatches(term) {
      if (documentFrequency.has(term) || term.length < 5 || /^\p{N}/u.test(term)) return [];
      const results = index.search(term, { fuzzy: term.length >= 9 ? 2 : 1, fields: ['text'] });
      const found = new Set<string>();
      for (const result of results.slice(0, 20)) for (const t of result.terms) if (t !== term) found.add(t);
      return [...found].slice(0, 3);
    },
    search(queries, limit) {
      const subqueries = queries
        .filter((q) => q.terms.length > 0)
        .map((q) => ({ queries: q.terms, boostTerm: () => q.boost }));
      if (subqueries.length === 0) return [];
      return index.search({ combineWith: 'OR', queries: subqueries }).slice(0, limit);
    },
    get passageCount() {
      return passagesById.size;
    },
  };
}
