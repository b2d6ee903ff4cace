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
import { createRetriever, type WeightedTerm } from './retrieve.ts';

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

/** A saved state and the very documents it was built from (their content hashes checked by the caller). */
export interface PassageIndexRestore {
  documents: readonly CorpusDocument[];
  state: PassageIndexState;
}

/**
 * Create a passage index; fill it with {@link PassageIndex.upsert}, or restore it from a saved
 * state over the very documents it was built from (the caller checks their content hashes).
 */
export function createPassageIndex(restore?: PassageIndexRestore): PassageIndex {
  const index = restore ? restoreIndex(restore.state.index) : new PassageMiniSearch();
  const passages = new PassageStore(index);
  if (restore) restorePassageStore(passages, restore, index);
  const { docs, documentFrequency, passagesOfDoc } = passages;
  const retrieve = createRetriever(index, INDEX_OPTIONS.searchOptions!.boost as Record<string, number>);

  return {
    upsert(document) {
      // Analyse first: if that throws, the old version of the article stays searchable.
      const analysed = passagesOf(document, passages.analyses);
      const entries = indexEntriesOf(document, analysed);
      passages.remove(document.id);
      passages.store(document, analysed);
      index.addAll(entries);
    },
    remove: (docId) => passages.remove(docId),
    document: (docId) => docs.get(docId),
    documents: () => docs.values(),
    passagesOf: passagesOfDoc,
    passageCountOf: (docId) => passages.countOf(docId),
    passage(id) {
      const parsed = parsePassageId(id);
      if (!parsed) return undefined;
      const found = passagesOfDoc(parsed.docId);
      // Sentences are numbered from 0 in order, so the position is the sentence number.
      const at = found[parsed.sentence];
      return at?.sentence === parsed.sentence ? at : found.find((p) => p.sentence === parsed.sentence);
    },
    contextTerms(passage) {
      const document = docs.get(passage.docId);
      return document ? passages.contextOf(document, passage.heading) : new Set();
    },
    has: (term) => documentFrequency.has(term),
    passagesWith: (term) => passagesWithTerm(index, term),
    idf: (term) => passages.idf(term),
    spellingMatches: (term) => spellingMatchesOf(term, index, documentFrequency),
    search: (queries, limit) => retrieve(weightedTermsOf(queries), limit),
    exportState() {
      return { passages: encodePassages(passages.byDoc), index: serializeIndex(index) };
    },
    compact: () => compactIndex(index),
    forgetAnalyses: () => passages.analyses.forget(),
    get passageCount() {
      return passages.total;
    },
  };
}

/** What MiniSearch indexes for each passage: its analysed terms, and those of the title and heading. */
function indexEntriesOf(document: CorpusDocument, passages: readonly Passage[]) {
  return passages.map((passage) => ({
    id: passage.id,
    docId: passage.docId,
    text: passage.tokens.map((token) => token.term).join(' '),
    context: analyzeTerms(`${document.title} ${passage.heading ?? ''}`).join(' '),
  }));
}

/** Ids of the passages whose sentence holds the term: its postings in the text field, no passage read. */
function passagesWithTerm(index: PassageMiniSearch, term: string): string[] {
  const ids: string[] = [];
  index._index
    .get(term)
    ?.get(index._fieldIds.text!)
    ?.forEach((_tf, shortId) => {
      const id = index._documentIds.get(shortId);
      if (id !== undefined) ids.push(id); // undefined: discarded, not vacuumed yet
    });
  return ids;
}

/** Index terms within a small edit distance of an unknown term: closest first, then the most widely used. */
function spellingMatchesOf(
  term: string,
  index: PassageMiniSearch,
  documentFrequency: ReadonlyMap<string, number>,
): string[] {
  if (documentFrequency.has(term) || term.length < 5 || /^\p{N}/u.test(term)) return [];
  // MiniSearch's term tree doubles as the vocabulary for spelling lookups (no postings are
  // scored); terms it still holds for removed passages are filtered out by `documentFrequency`.
  // A lookup in the vocabulary tree: no postings are scored, so the cost does not grow with
  // the number of passages. Closest spellings first, then the most widely used.
  const found = index._index.fuzzyGet(term, term.length >= 9 ? 2 : 1);
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
}

/** The queries' terms, each once: a term asked for by several queries (a word that is also another's synonym) counts for each. */
function weightedTermsOf(queries: readonly TermQuery[]): WeightedTerm[] {
  const boosts = new Map<string, number>();
  for (const q of queries) for (const term of q.terms) boosts.set(term, (boosts.get(term) ?? 0) + q.boost);
  return [...boosts].map(([term, boost]) => ({ term, boost }));
}

/**
 * The articles and their passages beside the MiniSearch index, and the per-term passage counts
 * that idf needs, kept in step as articles come and go.
 */
class PassageStore {
  readonly docs = new Map<string, CorpusDocument>();
  // Passages restored from a snapshot stay encoded until an answer first reads the article:
  // most of an archive is never quoted, and 167k passage objects cost ~40 MB and ~0.3 s to start.
  readonly byDoc = new Map<string, Passage[] | PassageRows>();
  /** Passages held, all articles together. */
  total = 0;
  readonly documentFrequency = new Map<string, number>();
  // This index's own term table and token cache (see passages.ts).
  readonly analyses = createPassageAnalyses();
  private readonly contexts = createContextTerms();

  constructor(private readonly index: PassageMiniSearch) {}

  private countTerms(passage: Passage, delta: 1 | -1): void {
    const { documentFrequency } = this;
    for (const term of passage.terms) {
      const next = (documentFrequency.get(term) ?? 0) + delta;
      if (next > 0) documentFrequency.set(term, next);
      else documentFrequency.delete(term);
    }
  }

  /** An article's passages, decoded on first read when restored. */
  readonly passagesOfDoc = (docId: string): readonly Passage[] => {
    const held = this.byDoc.get(docId);
    if (!held) return [];
    if (!('rows' in held)) return held;
    const passages = decodePassages(this.docs.get(docId)!, held, this.analyses);
    this.byDoc.set(docId, passages);
    return passages;
  };

  /** Hold an article and its analysed passages (the caller indexes them). */
  store(document: CorpusDocument, passages: Passage[]): void {
    this.docs.set(document.id, document);
    this.byDoc.set(document.id, passages);
    this.total += passages.length;
    for (const passage of passages) this.countTerms(passage, 1);
  }

  /** A restored article's passages, still encoded (checked by the caller). */
  storeEncoded(document: CorpusDocument, rows: PassageRows): void {
    this.docs.set(document.id, document);
    this.byDoc.set(document.id, rows);
    this.total += passageCount(rows);
  }

  /** Drop an article and discard its passages from the index; false when there was none. */
  remove(docId: string): boolean {
    if (!this.byDoc.has(docId)) return false;
    const old = this.passagesOfDoc(docId);
    this.total -= old.length;
    for (const passage of old) {
      this.index.discard(passage.id);
      this.countTerms(passage, -1);
    }
    this.byDoc.delete(docId);
    this.docs.delete(docId);
    for (const passage of old) this.contexts.forget(docId, passage.heading);
    return true;
  }

  /** BM25 inverse document frequency of a term over passages. */
  idf(term: string): number {
    const n = this.total;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Terms of an article's title and a section heading. */
  contextOf(document: CorpusDocument, heading: string | undefined): Set<string> {
    return this.contexts.of(document, heading);
  }

  /** How many passages an article has, without decoding them. */
  countOf(docId: string): number {
    const held = this.byDoc.get(docId);
    return held ? passageCount(held) : 0;
  }
}

/** Fill a fresh store from a snapshot: passages stay encoded, passage counts per term come from the postings. */
function restorePassageStore(
  passages: PassageStore,
  { documents, state }: PassageIndexRestore,
  index: PassageMiniSearch,
): void {
  const rowsByDoc = passageRowsByDoc(state.passages);
  for (const document of documents) {
    const rows = rowsByDoc.get(document.id);
    if (!rows) throw new Error(`PassageIndex: snapshot has no passages for ${document.id}`);
    // Checked now, decoded when first read: a bad snapshot must fail the restore, not an answer.
    checkPassageRows(document, rows);
    passages.storeEncoded(document, rows);
  }
  const passageTotal = passages.total;
  if (passageTotal !== index.documentCount)
    throw new Error(
      `PassageIndex: snapshot holds ${index.documentCount} indexed passages for ${passageTotal} passages`,
    );
  // Passage counts per term are the lengths of the text field's postings: no re-analysis needed.
  const textField = index._fieldIds.text!;
  for (const [term, fields] of index._index) {
    const count = fields.get(textField)?.size ?? 0;
    if (count === 0) continue;
    passages.documentFrequency.set(term, count);
  }
}

/** Terms of an article's title and a section heading, analysed once per pair. */
function createContextTerms() {
  const contextCache = new Map<string, Set<string>>();
  const contextKey = (docId: string, heading: string | undefined) => `${docId}\u0000${heading ?? ''}`;
  return {
    of(document: CorpusDocument, heading: string | undefined): Set<string> {
      const key = contextKey(document.id, heading);
      let terms = contextCache.get(key);
      if (!terms) {
        terms = new Set(analyzeTerms(`${document.title} ${heading ?? ''}`));
        contextCache.set(key, terms);
      }
      return terms;
    },
    forget(docId: string, heading: string | undefined): void {
      contextCache.delete(contextKey(docId, heading));
    },
  };
}
