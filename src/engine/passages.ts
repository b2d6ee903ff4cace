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
// into a bounded cache of objects.
const termIds = new Map<string, number>();
const termList: string[] = [];
const ANALYSIS_CACHE_LIMIT = 20_000;
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

class SentencePassage implements Passage {
  readonly id: string;
  /** Tokens as (term id, start, end) triples, once analysed. */
  packed: Int32Array | undefined;
  constructor(
    readonly docId: string,
    readonly sentence: number,
    readonly block: number,
    readonly heading: string | undefined,
    readonly start: number,
    readonly end: number,
    readonly text: string,
  ) {
    this.id = `${docId}#${sentence}`;
  }
  get tokens(): Token[] {
    return analysisOf(this).tokens;
  }
  get terms(): ReadonlySet<string> {
    return analysisOf(this).terms;
  }
  /** Topic tags: a few ids, kept (unlike tokens) because comparisons scan every passage. */
  private topicTags: readonly string[] | undefined;
  get topics(): readonly string[] {
    this.topicTags ??= tagTopics(this.terms);
    return this.topicTags;
  }
}

/** Split an article into passages (sentences); their terms are analysed when first read. */
export function passagesOf(document: CorpusDocument): Passage[] {
  return splitSentences(document.body).map((s) => {
    const passage = new SentencePassage(document.id, s.index, s.block, s.heading, s.start, s.end, s.text);
    void passage.topics; // tag at index time, while the sentence is being analysed anyway
    return passage;
  });
}

/**
 * Passages in a compact form for snapshots: a shared heading table, and per article one flat
 * array of `[sentence, block, heading (-1 = none), start, end]` per passage. The text comes
 * back from the article body; terms are analysed again when read.
 */
export interface EncodedPassages {
  headings: string[];
  docs: Record<string, number[]>;
}

const FIELDS_PER_PASSAGE = 5;

/** Encode every article's passages for a snapshot. */
export function encodePassages(byDoc: ReadonlyMap<string, readonly Passage[]>): EncodedPassages {
  const headings: string[] = [];
  const headingIds = new Map<string, number>();
  const headingId = (heading: string) => {
    let id = headingIds.get(heading);
    if (id === undefined) {
      id = headings.push(heading) - 1;
      headingIds.set(heading, id);
    }
    return id;
  };
  const docs: Record<string, number[]> = {};
  for (const [docId, passages] of byDoc) {
    docs[docId] = passages.flatMap((p) => [
      p.sentence,
      p.block,
      p.heading === undefined ? -1 : headingId(p.heading),
      p.start,
      p.end,
    ]);
  }
  return { headings, docs };
}

/** Rebuild an article's passages from {@link encodePassages} output and the article's body. */
export function decodePassages(
  document: CorpusDocument,
  row: readonly number[],
  headings: readonly string[],
): Passage[] {
  if (row.length % FIELDS_PER_PASSAGE !== 0) throw new Error(`Passages: bad encoding for ${document.id}`);
  const passages: Passage[] = [];
  for (let i = 0; i < row.length; i += FIELDS_PER_PASSAGE) {
    // Indexed reads, not a destructured slice: no small array per passage at start-up.
    const sentence = row[i]!;
    const block = row[i + 1]!;
    const heading = row[i + 2]!;
    const start = row[i + 3]!;
    const end = row[i + 4]!;
    if (end > document.body.length || start > end)
      throw new Error(`Passages: sentence ${sentence} lies outside ${document.id}`);
    passages.push(
      new SentencePassage(
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
