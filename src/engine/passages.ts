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
  /** Ids of the topics (src/topics/taxonomy.json) the passage is about, tagged at index time. */
  topics: readonly string[];
}

/** Split an article into passages (sentences), analysed once for indexing and ranking. */
export function passagesOf(document: CorpusDocument): Passage[] {
  return splitSentences(document.body).map((sentence) => {
    const tokens = analyze(sentence.text);
    const terms = new Set(tokens.map((token) => token.term));
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
      terms,
      topics: tagTopics(terms),
    };
  });
}
