import type { CorpusDocument } from '../corpus/schema.ts';
import { PeacedeskError } from '../errors.ts';
import { analyzeTerms } from '../text/analyze.ts';
import { findTopic, listTopics, type Topic, topicById, topicStrength, topicTerms } from '../topics/topics.ts';
import { informativeSentences } from './informative-sentences.ts';
import type { PassageIndex } from './passage-index.ts';
import type { Passage } from './passages.ts';
import { renderText } from './render-text.ts';
import { highlightsOf, snippetText, snippetWindow } from './snippet.ts';
import type { Answer, Citation, RelatedArticle } from './types.ts';

/** Most rows in one comparison or timeline, so an archive of thousands stays readable. */
export const MAX_ROWS = 8;

const articleOf = (d: CorpusDocument): RelatedArticle => ({
  docId: d.id,
  title: d.title,
  source: d.source,
  published: d.published,
  url: d.url ?? null,
});

/** "Russia (Vladimir Putin), 2025-08-21: Putin's terms after the Alaska summit". */
export function rowLabel(d: CorpusDocument): string {
  return `${d.proposedBy ?? d.source}, ${d.published}: ${d.proposal ?? d.title}`;
}

// "Territory and front lines" reads "territory and front lines" mid-sentence; "NATO …" stays.
const lowerFirst = (label: string) =>
  /^\p{Lu}\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;

/** Resolve a topic given by id, name or alias; a PeacedeskError listing the topics otherwise. */
export function resolveTopic(text: string): Topic {
  const topic = topicById(text.trim().toLowerCase()) ?? findTopic(text);
  if (!topic) {
    const known = listTopics()
      .map((t) => `${t.id} (${t.label})`)
      .join(', ');
    throw new PeacedeskError('unknown_topic', `No topic matches "${text}". Topics: ${known}.`, {
      topic: text,
    });
  }
  return topic;
}

function citationFor(
  index: PassageIndex,
  passage: Passage,
  n: number,
  score: number,
  bold: ReadonlySet<string>,
): Citation {
  const document = index.document(passage.docId)!;
  const window = snippetWindow(passage, index.passagesOf(document.id));
  const snippet = snippetText(window, document.body);
  return {
    n,
    ...articleOf(document),
    snippet,
    score: Math.round(score * 1000) / 1000,
    highlights: highlightsOf(snippet, bold),
    sentences: [window[0]!.sentence, window.at(-1)!.sentence] as const,
    label: rowLabel(document),
  };
}

function finish(partial: Omit<Answer, 'text' | 'asOf'>): Answer {
  const asOf = partial.citations.reduce<string | null>(
    (newest, c) => (newest === null || c.published > newest ? c.published : newest),
    null,
  );
  const withDate = { ...partial, asOf };
  return { ...withDate, text: renderText(withDate) };
}

/** The sentence that tells most among `passages` of one document (the digest's method), or undefined. */
function mostInformative(index: PassageIndex, passages: readonly Passage[]): Passage | undefined {
  const title = passages[0] ? index.document(passages[0].docId)?.title : undefined;
  return informativeSentences(passages, index.idf, { max: 1, min: 1, ...(title && { title }) })[0]?.passage;
}

/**
 * A document's passage that says most on a topic, with its strength; undefined when it is
 * silent. Topic evidence first (strong terms count double); among the strongest, the most
 * informative sentence.
 */
function bestOnTopic(
  index: PassageIndex,
  docId: string,
  topicId: string,
): { passage: Passage; score: number } | undefined {
  let strongest: Passage[] = [];
  let best = 0;
  for (const passage of index.passagesOf(docId)) {
    if (!passage.topics.includes(topicId)) continue;
    const { strong, weak } = topicStrength(passage.terms, topicId);
    const score = strong * 2 + weak;
    if (score > best) {
      strongest = [passage];
      best = score;
    } else if (score === best) {
      strongest.push(passage);
    }
  }
  const passage = mostInformative(index, strongest);
  return passage && { passage, score: best };
}

/** Documents a comparison question names ("the US draft and Putin's terms"), when it names two or more. */
function namedDocuments(index: PassageIndex, question: string, topicId: string): Set<string> | undefined {
  const ignore = topicTerms(topicId);
  for (const term of analyzeTerms(
    'compare comparison differ difference contrast versus proposals proposal position positions',
  )) {
    ignore.add(term);
  }
  const asked = analyzeTerms(question).filter((t) => !ignore.has(t));
  const named = new Set<string>();
  for (const d of index.documents()) {
    const names = new Set(analyzeTerms(`${d.title} ${d.proposal ?? ''} ${d.proposedBy ?? ''}`));
    if (new Set(asked.filter((t) => names.has(t))).size >= 2) named.add(d.id);
  }
  return named.size >= 2 ? named : undefined;
}

/**
 * Compare the documents on a topic: one row per document, oldest first, each its best verbatim
 * passage on the topic, cited; documents that say nothing on it are listed as silent.
 */
export function compareOnTopic(
  index: PassageIndex,
  topicText: string,
  question = `Compare on ${topicText}`,
): Answer {
  const topic = resolveTopic(topicText);
  const restrict = namedDocuments(index, question, topic.id);
  const docs = [...index.documents()].filter((d) => !restrict || restrict.has(d.id));
  const rows = docs.flatMap((d) => {
    const best = bestOnTopic(index, d.id, topic.id);
    return best ? [{ document: d, ...best }] : [];
  });
  // With more documents than rows, keep the ones that say most, proposals first.
  const kept = rows
    .sort(
      (a, b) =>
        Number(Boolean(b.document.proposal)) - Number(Boolean(a.document.proposal)) || b.score - a.score,
    )
    .slice(0, MAX_ROWS)
    .sort(
      (a, b) =>
        a.document.published.localeCompare(b.document.published) ||
        a.document.id.localeCompare(b.document.id),
    );
  const bold = topicTerms(topic.id);
  const topScore = Math.max(1, ...kept.map((r) => r.score));
  const citations = kept.map((row, i) => citationFor(index, row.passage, i + 1, row.score / topScore, bold));
  const silent = docs
    .filter((d) => !rows.some((r) => r.document.id === d.id) && (d.proposal || docs.length <= MAX_ROWS))
    .sort((a, b) => a.published.localeCompare(b.published))
    .slice(0, MAX_ROWS)
    .map(articleOf);
  return finish({
    kind: 'comparison',
    question,
    heading: `How the ${restrict ? 'named documents' : 'proposals'} compare on ${lowerFirst(topic.label)} (oldest first)`,
    answered: citations.length > 0,
    citations,
    related: [],
    silent,
  });
}

/** Options of {@link timelineOf}. */
export interface TimelineOptions {
  /** Topic id, name or alias: pick each document's sentence on it. */
  topic?: string;
  /** Only documents published on or after this date (YYYY-MM-DD). */
  since?: string;
  question?: string;
}

/**
 * The documents in date order, each with its one most informative sentence (on the topic when
 * given), cited, so a reader sees positions move. With more than MAX_ROWS, the newest are kept.
 */
export function timelineOf(index: PassageIndex, options: TimelineOptions = {}): Answer {
  const topic = options.topic ? resolveTopic(options.topic) : undefined;
  const docs = [...index.documents()]
    .filter((d) => !options.since || d.published >= options.since)
    .sort((a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id));
  const rows = docs.flatMap((d) => {
    if (topic) {
      const best = bestOnTopic(index, d.id, topic.id);
      return best ? [{ document: d, ...best }] : [];
    }
    const passage = mostInformative(index, index.passagesOf(d.id));
    return passage ? [{ document: d, passage, score: 1 }] : [];
  });
  const kept = rows.slice(-MAX_ROWS);
  const bold = topic ? topicTerms(topic.id) : new Set<string>();
  const topScore = Math.max(1e-9, ...kept.map((r) => r.score));
  const citations = kept.map((row, i) => citationFor(index, row.passage, i + 1, row.score / topScore, bold));
  const about = topic ? ` on ${lowerFirst(topic.label)}` : '';
  const since = options.since ? ` since ${options.since}` : '';
  const newest = [...index.documents()].reduce<string | null>(
    (n, d) => (n === null || d.published > n ? d.published : n),
    null,
  );
  return finish({
    kind: 'timeline',
    question: options.question ?? `Timeline${about}${since}`,
    heading: citations.length
      ? `Timeline${about}${since}: ${citations.length} document${citations.length === 1 ? '' : 's'}, oldest first`
      : `Nothing in the sources${about}${since}${newest ? ` (the newest article is from ${newest})` : ''}.`,
    answered: citations.length > 0,
    citations,
    related: [],
    silent: topic
      ? docs
          .filter((d) => !rows.some((r) => r.document.id === d.id))
          .slice(-MAX_ROWS)
          .map(articleOf)
      : [],
  });
}
