import type { SearchResult } from 'minisearch';
import type { CorpusDocument } from '../corpus/schema.ts';
import { analyzeTerms } from '../text/analyze.ts';
import {
  type CompactIndex,
  compactIndex,
  PassageMiniSearch,
  restoreIndex,
  serializeIndex,
} from './compact-index.ts';
import { INDEX_OPTIONS } from './index-options.ts';
import {
  checkPassageRows,
  createPassageAnalyses,
  decodePassages,
  type EncodedPassages,
  encodePassages,
  type Passage,
  type PassageRows,
  parsePassageId,
  passageCount,
  passageRowsByDoc,
  passagesOf,
} from './passages.ts';
import { createRetriever } from './retrieve.ts';

/** A weighted group of pre-analysed terms to search for. */
export interface TermQuery {
  terms: string[];
  /** Multiplies the BM25 score of matches (1 = neutral). */
  boost: number;
}

/** Everything a passage index needs to come back without analysing the corpus again. */
export interface PassageIndexState {
  /** Every article's passages, compactly encoded. */
  passages: EncodedPassages;
  /** The MiniSearch index in the compact form of {@link serializeIndex}. */
  index: CompactIndex;
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
  /** How many passages an article has (0 when unknown), without reading them. */
  passageCountOf(docId: string): number;
  passage(id: string): Passage | undefined;
  /** Terms of the article title and the passage's section heading. */
  contextTerms(passage: Passage): ReadonlySet<string>;
  /** True when some passage holds the term. */
  has(term: string): boolean;
  /** Ids of the passages whose sentence holds the term (its postings; no passage is read). */
  passagesWith(term: string): string[];
  /** BM25 inverse document frequency of a term over passages (highest for unknown terms). */
  idf(term: string): number;
  /** Index terms within a small edit distance of an unknown term (typos, transliterations). */
  spellingMatches(term: string): string[];
  /** BM25 search: passages matching any of the queries, best first, at most `limit`. */
  search(queries: readonly TermQuery[], limit: number): SearchResult[];
  /** The state to save in a snapshot. */
  exportState(): PassageIndexState;
  /** Pack the postings into flat arrays (after a bulk build): same results, a fraction of the memory. */
  compact(): void;
  /** Drop this index's cached token objects (packed tokens stay): after a bulk build. */
  forgetAnalyses(): void;
  readonly passageCount: number;
}

/**
 * Create a passage index; fill it with {@link PassageIndex.upsert}, or restore it from a saved
 * state over the very documents it was built from (the caller checks their content hashes).
 */
export function createPassageIndex(restore?: {
  documents: readonly CorpusDocument[];
  state: PassageIndexState;
}): PassageIndex {
  const index = restore ? restoreIndex(restore.state.index) : new PassageMiniSearch();
  const docs = new Map<string, CorpusDocument>();
  // Passages restored from a snapshot stay encoded until an answer first reads the article:
  // most of an archive is never quoted, and 167k passage objects cost ~40 MB and ~0.3 s to start.
  const byDoc = new Map<string, Passage[] | PassageRows>();
  let passageTotal = 0;
  const documentFrequency = new Map<string, number>();
  // This index's own term table and token cache (see passages.ts).
  const analyses = createPassageAnalyses();
  // MiniSearch's term tree doubles as the vocabulary for spelling lookups (no postings are
  // scored); terms it still holds for removed passages are filtered out by `documentFrequency`.
  const internals = index;
  const vocabulary = internals._index;
  const textField = internals._fieldIds.text!;
  const contextCache = new Map<string, Set<string>>();
  const retrieve = createRetriever(index, INDEX_OPTIONS.searchOptions!.boost as Record<string, number>);

  const countTerms = (passage: Passage, delta: 1 | -1) => {
    for (const term of passage.terms) {
      const next = (documentFrequency.get(term) ?? 0) + delta;
      if (next > 0) documentFrequency.set(term, next);
      else documentFrequency.delete(term);
    }
  };

  const contextKey = (docId: string, heading: string | undefined) => `${docId}\u0000${heading ?? ''}`;
  const contextOf = (document: CorpusDocument, heading: string | undefined): Set<string> => {
    const key = contextKey(document.id, heading);
    let terms = contextCache.get(key);
    if (!terms) {
      terms = new Set(analyzeTerms(`${document.title} ${heading ?? ''}`));
      contextCache.set(key, terms);
    }
    return terms;
  };

  const passagesOfDoc = (docId: string): readonly Passage[] => {
    const held = byDoc.get(docId);
    if (!held) return [];
    if (!('rows' in held)) return held;
    const passages = decodePassages(docs.get(docId)!, held, analyses);
    byDoc.set(docId, passages);
    return passages;
  };

  const store = (document: CorpusDocument, passages: Passage[]) => {
    docs.set(document.id, document);
    byDoc.set(document.id, passages);
    passageTotal += passages.length;
    for (const passage of passages) countTerms(passage, 1);
  };

  const remove = (docId: string): boolean => {
    if (!byDoc.has(docId)) return false;
    const old = passagesOfDoc(docId);
    passageTotal -= old.length;
    for (const passage of old) {
      index.discard(passage.id);
      countTerms(passage, -1);
    }
    byDoc.delete(docId);
    docs.delete(docId);
    for (const passage of old) contextCache.delete(contextKey(docId, passage.heading));
    return true;
  };

  const idf = (term: string): number => {
    const n = passageTotal;
    const df = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  if (restore) {
    const rowsByDoc = passageRowsByDoc(restore.state.passages);
    for (const document of restore.documents) {
      const rows = rowsByDoc.get(document.id);
      if (!rows) throw new Error(`PassageIndex: snapshot has no passages for ${document.id}`);
      // Checked now, decoded when first read: a bad snapshot must fail the restore, not an answer.
      checkPassageRows(document, rows);
      docs.set(document.id, document);
      byDoc.set(document.id, rows);
      passageTotal += passageCount(rows);
    }
    if (passageTotal !== index.documentCount)
      throw new Error(
        `PassageIndex: snapshot holds ${index.documentCount} indexed passages for ${passageTotal} passages`,
      );
    // Passage counts per term are the lengths of the text field's postings: no re-analysis needed.
    for (const [term, fields] of vocabulary) {
      const count = fields.get(textField)?.size ?? 0;
      if (count === 0) continue;
      documentFrequency.set(term, count);
    }
  }

  return {
    upsert(document) {
      // Analyse first: if that throws, the old version of the article stays searchable.
      const passages = passagesOf(document, analyses);
      const entries = passages.map((passage) => ({
        id: passage.id,
        docId: passage.docId,
        text: passage.tokens.map((token) => token.term).join(' '),
        context: analyzeTerms(`${document.title} ${passage.heading ?? ''}`).join(' '),
      }));
      remove(document.id);
      store(document, passages);
      index.addAll(entries);
    },
    remove,
    document: (docId) => docs.get(docId),
    documents: () => docs.values(),
    passagesOf: passagesOfDoc,
    passageCountOf: (docId) => {
      const held = byDoc.get(docId);
      return held ? passageCount(held) : 0;
    },
    passage(id) {
      const parsed = parsePassageId(id);
      if (!parsed) return undefined;
      const passages = passagesOfDoc(parsed.docId);
      // Sentences are numbered from 0 in order, so the position is the sentence number.
      const at = passages[parsed.sentence];
      return at?.sentence === parsed.sentence ? at : passages.find((p) => p.sentence === parsed.sentence);
    },
    contextTerms(passage) {
      const document = docs.get(passage.docId);
      return document ? contextOf(document, passage.heading) : new Set();
    },
    has: (term) => documentFrequency.has(term),
    passagesWith(term) {
      const ids: string[] = [];
      vocabulary
        .get(term)
        ?.get(textField)
        ?.forEach((_tf, shortId) => {
          const id = internals._documentIds.get(shortId);
          if (id !== undefined) ids.push(id); // undefined: discarded, not vacuumed yet
        });
      return ids;
    },
    idf,
    spellingMatches(term) {
      if (documentFrequency.has(term) || term.length < 5 || /^\p{N}/u.test(term)) return [];
      // A lookup in the vocabulary tree: no postings are scored, so the cost does not grow with
      // the number of passages. Closest spellings first, then the most widely used.
      const found = vocabulary.fuzzyGet(term, term.length >= 9 ? 2 : 1);
      return [...found]
        .filter(([candidate]) => documentFrequency.has(candidate))
        .map(([candidate, [, distance]]) => ({
          candidate,
          distance,
          df: documentFrequency.get(candidate) ?? 0,
        }))
        .sort((a, b) => a.distance - b.distance || b.df - a.df || a.candidate.localeCompare(b.candidate))
        .slice(0, 3)
        .map((match) => match.candidate);
    },
    search(queries, limit) {
      // A term asked for by several queries (a word that is also another's synonym) counts for each.
      const boosts = new Map<string, number>();
      for (const q of queries)
        for (const term of q.terms) boosts.set(term, (boosts.get(term) ?? 0) + q.boost);
      return retrieve(
        [...boosts].map(([term, boost]) => ({ term, boost })),
        limit,
      );
    },
    exportState() {
      return { passages: encodePassages(byDoc), index: serializeIndex(index) };
    },
    compact: () => compactIndex(index),
    forgetAnalyses: () => analyses.forget(),
    get passageCount() {
      return passageTotal;
    },
  };
}
