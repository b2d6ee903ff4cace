import type { CorpusDocument } from '../corpus/schema.ts';
import { analyze, type Token } from '../text/analyze.ts';
import { splitSentences } from '../text/sentences.ts';
import { tagTopics } from '../topics/topics.ts';

/** One sentence of an article: the unit the index searches and snippets are cut from. */
export interface Passage {
  /** `${docId}#${sentence}`: unique across the corpus. */
  id: string;
  docId: string;
  /** Position among the article's sentences. */
  sentence: number;
  /** Block (paragraph or list item) of the article it belongs to. */
  block: number;
  heading: string | undefined;
  start: number;
  end: number;
  text: string;
  /** The analysed terms of `text`, with spans relative to `text`. */
  tokens: Token[];
  /** Distinct terms of `text`. */
  terms: ReadonlySet<string>;
  /** Ids of the topics (src/topics/taxonomy.json) the passage is about; tagged when indexed. */
  topics: readonly string[];
}

interface Analysis {
  tokens: Token[];
  terms: ReadonlySet<string>;
}

// Token objects and term sets for every sentence would take more memory than the index itself
// (hundreds of MB at 10k articles). Each passage keeps its tokens packed in one Int32Array
// (term id, start, end), filled when first analysed; an answer unpacks the few hundred it reads
// into a bounded cache of objects. The term table and that cache belong to one passage index
// (so to one engine): another engine's build neither grows nor clears them.
const ANALYSIS_CACHE_LIMIT = 20_000;

/** One passage index's analysis state: the term table packed tokens point into, and unpacked tokens. */
export interface PassageAnalyses {
  /** The passage's tokens and terms, unpacked (analysed on first use). */
  analysisOf(passage: SentencePassage): Analysis;
  /**
   * Drop the cached token objects (not the packed tokens): after a full build the cache holds
   * the last articles indexed, which answers are no likelier to read than any others.
   */
  forget(): void;
}

/** Fresh analysis state, for one passage index. */
export function createPassageAnalyses(): PassageAnalyses {
  const termIds = new Map<string, number>();
  const termList: string[] = [];
  const analysisCache = new Map<SentencePassage, Analysis>();

  function pack(tokens: readonly Token[]): Int32Array {
    const packed = new Int32Array(tokens.length * 3);
    tokens.forEach((token, i) => {
      let id = termIds.get(token.term);
      if (id === undefined) {
        id = termList.push(token.term) - 1;
        termIds.set(token.term, id);
      }
      packed[i * 3] = id;
      packed[i * 3 + 1] = token.start;
      packed[i * 3 + 2] = token.end;
    });
    return packed;
  }

  function analysisOf(passage: SentencePassage): Analysis {
    let analysis = analysisCache.get(passage);
    if (!analysis) {
      let tokens: Token[];
      if (passage.packed) {
        const packed = passage.packed;
        tokens = new Array(packed.length / 3);
        for (let i = 0; i < packed.length; i += 3)
          tokens[i / 3] = { term: termList[packed[i]!]!, start: packed[i + 1]!, end: packed[i + 2]! };
      } else {
        tokens = analyze(passage.text);
        passage.packed = pack(tokens);
      }
      analysis = { tokens, terms: new Set(tokens.map((token) => token.term)) };
      if (analysisCache.size >= ANALYSIS_CACHE_LIMIT) analysisCache.clear();
      analysisCache.set(passage, analysis);
    }
    return analysis;
  }

  return {
    analysisOf,
    forget() {
      analysisCache.clear();
    },
  };
}

class SentencePassage implements Passage {
  /** Tokens as (term id, start, end) triples, once analysed. */
  packed: Int32Array | undefined;
  constructor(
    private readonly analyses: PassageAnalyses,
    readonly docId: string,
    readonly sentence: number,
    readonly block: number,
    readonly heading: string | undefined,
    readonly start: number,
    readonly end: number,
    readonly text: string,
  ) {}
  /** Computed, not stored: an id string per sentence is megabytes at 10k articles, and few are read. */
  get id(): string {
    return passageId(this.docId, this.sentence);
  }
  get tokens(): Token[] {
    return this.analyses.analysisOf(this).tokens;
  }
  get terms(): ReadonlySet<string> {
    return this.analyses.analysisOf(this).terms;
  }
  /** Topic tags: a few ids, kept (unlike tokens) because comparisons scan every passage. */
  private topicTags: readonly string[] | undefined;
  get topics(): readonly string[] {
    this.topicTags ??= tagTopics(this.terms);
    return this.topicTags;
  }
}

/** The id of an article's `sentence`-th passage. */
export const passageId = (docId: string, sentence: number): string => `${docId}#${sentence}`;

/** The article and sentence number of a passage id, or undefined when it is not one. */
export function parsePassageId(id: string): { docId: string; sentence: number } | undefined {
  const hash = id.lastIndexOf('#');
  const sentence = Number(id.slice(hash + 1));
  return hash > 0 && Number.isInteger(sentence) && sentence >= 0
    ? { docId: id.slice(0, hash), sentence }
    : undefined;
}

/**
 * Split an article into passages (sentences); their terms are analysed when first read, into
 * `analyses` (the index's; a fresh one when the passages stand alone).
 */
export function passagesOf(
  document: CorpusDocument,
  analyses: PassageAnalyses = createPassageAnalyses(),
): Passage[] {
  return splitSentences(document.body).map((s) => {
    const passage = new SentencePassage(
      analyses,
      document.id,
      s.index,
      s.block,
      s.heading,
      s.start,
      s.end,
      s.text,
    );
    void passage.topics; // tag at index time, while the sentence is being analysed anyway
    return passage;
  });
}

/**
 * Passages in a compact form for snapshots: a shared heading table, and per article (in
 * `docIds` order, `counts` passages each) `[sentence, block, heading (-1 = none), start, end]`
 * per passage in `rows`. The text comes back from the article body; terms are analysed again
 * when read.
 */
export interface EncodedPassages {
  headings: string[];
  docIds: string[];
  counts: Int32Array;
  rows: Int32Array;
}

/** One article's passages still in encoded form (restored from a snapshot, not read yet). */
export interface PassageRows {
  /** `FIELDS_PER_PASSAGE` numbers per passage, as in {@link EncodedPassages.rows}. */
  rows: Int32Array;
  headings: readonly string[];
}

const FIELDS_PER_PASSAGE = 5;

/** The rows of each article of an {@link EncodedPassages}, by article id. Throws when they do not add up. */
export function passageRowsByDoc(encoded: EncodedPassages): Map<string, PassageRows> {
  const { docIds, counts, rows, headings } = encoded;
  if (counts.length !== docIds.length) throw new Error('Passages: article table does not line up');
  const byDoc = new Map<string, PassageRows>();
  let at = 0;
  docIds.forEach((docId, i) => {
    const end = at + counts[i]! * FIELDS_PER_PASSAGE;
    if (counts[i]! < 0 || end > rows.length) throw new Error('Passages: rows cut short');
    byDoc.set(docId, { rows: rows.subarray(at, end), headings });
    at = end;
  });
  if (at !== rows.length) throw new Error('Passages: rows do not line up');
  return byDoc;
}

/** How many passages an article has, decoded or not. */
export const passageCount = (passages: readonly Passage[] | PassageRows): number =>
  'rows' in passages ? passages.rows.length / FIELDS_PER_PASSAGE : passages.length;

/** Encode every article's passages for a snapshot; articles not decoded yet are copied as they are. */
export function encodePassages(byDoc: Iterable<[string, readonly Passage[] | PassageRows]>): EncodedPassages {
  const headings: string[] = [];
  const headingIds = new Map<string, number>();
  const headingId = (heading: string | undefined) => {
    if (heading === undefined) return -1;
    let id = headingIds.get(heading);
    if (id === undefined) {
      id = headings.push(heading) - 1;
      headingIds.set(heading, id);
    }
    return id;
  };
  const docIds: string[] = [];
  const counts: number[] = [];
  const rows: number[] = [];
  for (const [docId, passages] of byDoc) {
    docIds.push(docId);
    counts.push(passageCount(passages));
    if ('rows' in passages) {
      const r = passages.rows;
      for (let i = 0; i < r.length; i += FIELDS_PER_PASSAGE) {
        const heading = r[i + 2]!;
        rows.push(
          r[i]!,
          r[i + 1]!,
          heading < 0 ? -1 : headingId(passages.headings[heading]),
          r[i + 3]!,
          r[i + 4]!,
        );
      }
    } else {
      for (const p of passages) rows.push(p.sentence, p.block, headingId(p.heading), p.start, p.end);
    }
  }
  return { headings, docIds, counts: Int32Array.from(counts), rows: Int32Array.from(rows) };
}

/** Throw unless every encoded passage lies within the article and names a known heading. */
export function checkPassageRows(document: CorpusDocument, encoded: PassageRows): void {
  const { rows, headings } = encoded;
  if (rows.length % FIELDS_PER_PASSAGE !== 0) throw new Error(`Passages: bad encoding for ${document.id}`);
  for (let i = 0; i < rows.length; i += FIELDS_PER_PASSAGE) {
    const heading = rows[i + 2]!;
    const start = rows[i + 3]!;
    const end = rows[i + 4]!;
    if (
      rows[i] !== i / FIELDS_PER_PASSAGE ||
      end > document.body.length ||
      start < 0 ||
      start > end ||
      heading >= headings.length
    )
      throw new Error(`Passages: sentence ${rows[i]} lies outside ${document.id}`);
  }
}

/** Rebuild an article's passages from its encoded rows (see {@link checkPassageRows}) and body. */
export function decodePassages(
  document: CorpusDocument,
  encoded: PassageRows,
  analyses: PassageAnalyses = createPassageAnalyses(),
): Passage[] {
  const { rows, headings } = encoded;
  checkPassageRows(document, encoded);
  const passages: Passage[] = [];
  for (let i = 0; i < rows.length; i += FIELDS_PER_PASSAGE) {
    const sentence = rows[i]!;
    const block = rows[i + 1]!;
    const heading = rows[i + 2]!;
    const start = rows[i + 3]!;
    const end = rows[i + 4]!;
    passages.push(
      new SentencePassage(
        analyses,
        document.id,
        sentence,
        block,
        heading < 0 ? undefined : headings[heading],
        start,
        end,
        document.body.slice(start, end),
      ),
    );
  }
  return passages;
}
