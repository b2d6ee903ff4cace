import type { CorpusDocument } from '../corpus/schema.ts';
import { analyze, type Token } from '../text/analyze.ts';
import { splitSentences } from '../text/sentences.ts';

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
}

/** Split an article into passages (sentences), analysed once for indexing and ranking. */
export function passagesOf(document: CorpusDocument): Passage[] {
  return splitSentences(document.body).map((sentence) => {
    const tokens = analyze(sentence.text);
    return {
      id: `${document.id}#${sentence.index}`,
      docId: document.id,
      sentence: sentence.index,
      block: sentence.block,
      heading: sentence.heading,
      start: sentence.start,
      end: sentence.end,
      text: sentence.text,
      tokens,
      terms: new Set(tokens.map((token) => token.term)),
    };
  });
}

/**
 * Passages in a compact form for snapshots: shared term and heading tables, and per article one
 * flat number array per passage: `[sentence, block, heading (-1 = none), start, end, then
 * term, start, end for each token]` (token spans relative to the passage).
 */
export interface EncodedPassages {
  terms: string[];
  headings: string[];
  docs: Record<string, number[][]>;
}

/** Encode every article's passages for a snapshot. */
export function encodePassages(byDoc: ReadonlyMap<string, readonly Passage[]>): EncodedPassages {
  const terms: string[] = [];
  const termIds = new Map<string, number>();
  const headings: string[] = [];
  const headingIds = new Map<string, number>();
  const idOf = (table: string[], ids: Map<string, number>, value: string) => {
    let id = ids.get(value);
    if (id === undefined) {
      id = table.push(value) - 1;
      ids.set(value, id);
    }
    return id;
  };
  const docs: Record<string, number[][]> = {};
  for (const [docId, passages] of byDoc) {
    docs[docId] = passages.map((p) => {
      const row = [
        p.sentence,
        p.block,
        p.heading === undefined ? -1 : idOf(headings, headingIds, p.heading),
        p.start,
        p.end,
      ];
      for (const token of p.tokens) row.push(idOf(terms, termIds, token.term), token.start, token.end);
      return row;
    });
  }
  return { terms, headings, docs };
}

/** Rebuild an article's passages from {@link encodePassages} output and the article's body. */
export function decodePassages(
  document: CorpusDocument,
  rows: readonly number[][],
  tables: Pick<EncodedPassages, 'terms' | 'headings'>,
): Passage[] {
  return rows.map((row) => {
    const [sentence, block, heading, start, end] = row as [number, number, number, number, number];
    const tokens: Token[] = [];
    for (let i = 5; i + 2 < row.length; i += 3) {
      const term = tables.terms[row[i]!];
      if (term === undefined) throw new Error(`Passages: unknown term ${row[i]} in ${document.id}`);
      tokens.push({ term, start: row[i + 1]!, end: row[i + 2]! });
    }
    return {
      id: `${document.id}#${sentence}`,
      docId: document.id,
      sentence,
      block,
      heading: heading < 0 ? undefined : tables.headings[heading],
      start,
      end,
      text: document.body.slice(start, end),
      tokens,
      terms: new Set(tokens.map((token) => token.term)),
    };
  });
}
