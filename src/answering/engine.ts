import { type Clock, systemClock } from '../clock.ts';
import type { CorpusDocument } from '../corpus/schema.ts';
import { type Logger, silentLogger } from '../logger.ts';
import {
  createPassageIndex,
  type PassageIndex,
  type PassageIndexState,
} from '../search-index/passage-index.ts';
import type { Passage } from '../search-index/passages.ts';
import type { SentenceEncoder } from '../semantic/encoder.ts';
import { createVectorFiller, EMBED_BATCH } from '../semantic/fill.ts';
import { cosine, createSentenceVectors, type SentenceVectors } from '../semantic/vectors.ts';
import { type AcronymTable, createAcronymTable, expandAcronyms } from '../text/acronyms.ts';
import { analyzeTerms } from '../text/analyze.ts';
import { createShippedLexicon, type Lexicon } from '../text/lexicon.ts';
import { findTopic } from '../topics/topics.ts';
import { asksForTimeline, asksToCompare, parseSince } from './intent.ts';
import { compareOnTopic, type TimelineOptions, timelineOf } from './perspectives.ts';
import { type AnalyzedQuestion, analyzeQuestion, COMMON_WORD_RANK } from './question.ts';
import {
  CITATION_FLOOR,
  DEFAULT_RANKING,
  passageAnswers,
  questionCanBeAnswered,
  type RankingOptions,
  rankPassages,
  relatedArticles,
  type Scored,
  selectCitations,
} from './rank.ts';
import { isNotEnglish, isSmallTalk } from './small-talk.ts';
import { highlightsOf, snippetText, snippetWindow } from './snippet.ts';
import type { Answer, ArticleSummary, Citation, DeclineReason, RelatedArticle } from './types.ts';
import { validateQuestion } from './validate-question.ts';

export type { Scored } from './rank.ts';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Most citations in one answer. Default 3. */
  maxCitations?: number;
  /**
   * Share of the question's weighted terms the best passage must cover for the question to
   * count as answered (0–1). Default {@link DEFAULT_ENGINE_OPTIONS.minCoverage}.
   */
  minCoverage?: number;
  /** Where warnings go. */
  logger?: Logger;
  /** "Today", for questions such as "what has changed since August?". */
  clock?: Clock;
  /** How candidates are scored; the eval's ablation switches parts off. Default {@link DEFAULT_RANKING}. */
  ranking?: Partial<RankingOptions>;
  /** Expand question terms with the curated synonyms.json groups. Default true. */
  synonyms?: boolean;
  /** Expand question terms with the lexicon's WordNet synonyms. Default true. */
  lexiconSynonyms?: boolean;
  /** Match other inflections of a question word that the stemmer splits ("focus"/"focused"). Default true. */
  inflections?: boolean;
  /** Take phrases as units ("basic law", "turn down", "called for"; see QuestionOptions). Default true. */
  phrases?: boolean;
  /**
   * Quote the sentences after the best one while they refer back to it ("those talks"), up to the
   * last that holds a word asked: the answer is often there. Default true.
   */
  continuation?: boolean;
  /**
   * Reply to small talk ("hi", "help", "thanks", "what can you do": no content word) with what the
   * bot does and two example questions, instead of searching. Default true.
   */
  smallTalk?: boolean;
  /** Decline a question that is not in English with a reason that says so. Default true. */
  detectLanguage?: boolean;
  /** Match irregular inflections ("fled" for "flee", "mice" for "mouse"). Default true. */
  irregularForms?: boolean;
  /**
   * Read an acronym the corpus does not use as the name the articles spell out with those
   * initials ("WWII" -> "World War II", "IPCC" -> "Intergovernmental Panel on Climate Change").
   * Default true.
   */
  acronyms?: boolean;
  /** General English knowledge (word frequencies, WordNet); default the shipped one, loaded on first use. */
  lexicon?: Lexicon;
  /**
   * A saved index over exactly `documents` (same content hashes; see src/persistence/snapshot.ts):
   * restored instead of analysing and indexing every article again.
   */
  restore?: PassageIndexState;
  /**
   * A sentence model for the semantic signal (weights.semantic × cosine of question and sentence),
   * used by {@link Engine.answerAsync}. Without it, or for sentences with no vector yet, ranking
   * is lexical. `vectors` restores saved ones; upserted articles' sentences are embedded in the
   * background unless `embedOnUpsert` is false. `questionVectors` shares question vectors
   * between engines (the eval's ablation builds one engine per part). `embedCandidates`: before
   * ranking, embed the candidates that have no vector yet (a one-shot question then needs no
   * corpus-wide fill; ~0.5 s a question, too slow for the bot).
   */
  semantic?: {
    encoder: SentenceEncoder;
    vectors?: SentenceVectors;
    embedOnUpsert?: boolean;
    questionVectors?: Map<string, Float32Array>;
    embedCandidates?: boolean;
  };
}

// Process-wide on purpose: the shipped lexicon is a pure function of files the packages ship
// (WordNet, word frequencies), the same for every engine, whatever its corpus.
let shippedLexicon: Lexicon | undefined;
/** The shipped lexicon, created once per process (its files are read lazily). */
function defaultLexicon(): Lexicon {
  shippedLexicon ??= createShippedLexicon();
  return shippedLexicon;
}

/** Defaults for {@link EngineOptions}, merged once in {@link createEngine}. */
export const DEFAULT_ENGINE_OPTIONS = {
  maxCitations: 3,
  minCoverage: 0.35,
  logger: silentLogger,
  clock: systemClock,
  ranking: DEFAULT_RANKING,
  synonyms: true,
  lexiconSynonyms: true,
  inflections: true,
  phrases: true,
  continuation: true,
  smallTalk: true,
  detectLanguage: true,
  irregularForms: true,
  acronyms: true,
} satisfies Omit<Required<EngineOptions>, 'lexicon' | 'restore' | 'semantic'>;

/** Per-call options of {@link Engine.answer}. */
export interface AnswerOptions {
  /** Most citations for this answer (overrides the engine's default). */
  maxCitations?: number;
  /** Quote only these articles (a thread's documents; see src/threads). Empty or absent: all. */
  docIds?: readonly string[];
  /** Quote only articles published on or after this date (YYYY-MM-DD). */
  since?: string;
  /**
   * The text is a claim to check, not a question (find sources): a passage giving another figure
   * than the claim's is what the check is for, so the figures it states need not be quoted
   * (`ranking.statedFigures` is off for it).
   */
  claim?: boolean;
}

/** How many more candidates to retrieve when only some articles may be quoted, before filtering. */
const RESTRICTED_WIDENING = 50;

/**
 * A view of the index whose search keeps only the allowed articles' passages: the ranking then
 * works as usual, on candidates from those articles alone.
 */
function restrictedIndex(index: PassageIndex, options: AnswerOptions): PassageIndex {
  const docIds = options.docIds?.length ? new Set(options.docIds) : undefined;
  const since = options.since;
  if (!docIds && !since) return index;
  const allowed = (docId: string) => {
    if (docIds && !docIds.has(docId)) return false;
    return !since || (index.document(docId)?.published ?? '') >= since;
  };
  return Object.create(index, {
    search: {
      value: (queries: Parameters<PassageIndex['search']>[0], limit: number) =>
        index
          .search(queries, Math.min(Math.max(index.passageCount, 1), limit * RESTRICTED_WIDENING))
          .filter((result) => {
            const passage = index.passage(String(result.id));
            return passage !== undefined && allowed(passage.docId);
          })
          .slice(0, limit),
    },
  }) as PassageIndex;
}

/** The answering engine: a passage index over the corpus that turns questions into {@link Answer}s. */
export interface Engine {
  /**
   * Answer a question with cited verbatim snippets, or decline. Throws PeacedeskError on bad input.
   * Lexical, unless the question's vector is already cached (by answerAsync or embedQuestions).
   */
  answer(question: string, options?: AnswerOptions): Answer;
  /**
   * Like {@link answer}, with the semantic signal: the question is embedded first (cached per
   * question text). Without a sentence model it is the lexical answer. Throws like answer.
   */
  answerAsync(question: string, options?: AnswerOptions): Promise<Answer>;
  /** Embed questions in one batch and cache their vectors (the eval's way to time answers alone). */
  embedQuestions(questions: readonly string[]): Promise<void>;
  /** The sentence vectors, when the engine has a sentence model. */
  readonly vectors: SentenceVectors | undefined;
  /** Distinct sentence texts with no vector yet (all of them without a sentence model: none). */
  unembedded(): string[];
  /** Embed every sentence with no vector in this process, in batches; resolves when done. */
  embedSentences(): Promise<void>;
  /**
   * Compare the documents on a topic (id, name or alias: "nato", "territory"): one cited row per
   * document, oldest first; silent documents listed. Throws PeacedeskError `unknown_topic`.
   */
  compare(topic: string): Answer;
  /** The documents in date order, each with its most informative sentence (on the topic, if given). */
  timeline(options?: TimelineOptions): Answer;
  /** Add an article, or replace the one with the same id. */
  upsert(document: CorpusDocument): void;
  /**
   * Read up to `articles` more articles into the table of acronyms the articles spell out, for a
   * long-running process to build it in slices; true once it is complete. Until then questions
   * are read without expanding acronyms (see {@link EngineOptions.acronyms}).
   */
  prepareAcronyms(articles: number): boolean;
  /** Remove an article; returns false when there was none with that id. */
  remove(docId: string): boolean;
  /** The articles, newest first. */
  articles(): ArticleSummary[];
  /** One article, if present. */
  document(docId: string): CorpusDocument | undefined;
  /** An article's passages (sentences) in order. */
  passages(docId: string): readonly Passage[];
  /** How specific a term is to few passages (BM25 inverse document frequency). */
  idf(term: string): number;
  /** The ranked candidate passages for a question, with each ranking feature (for evaluation). */
  explain(question: string): Scored[];
  /** The index state to save in a snapshot. */
  exportState(): PassageIndexState;
  /**
   * Pack postings that updates turned back into Maps (done after every full build; worth
   * repeating after many live updates, e.g. before saving a snapshot). Answers do not change.
   */
  compact(): void;
  /** Number of indexed passages. */
  readonly passageCount: number;
}

/** Articles indexed between two compactions during a full build, at least. */
const COMPACT_EVERY = 1000;
/** Growth of the index (a share of the articles packed so far) that calls for the next compaction. */
const COMPACT_GROWTH = 0.25;

/**
 * Whether a full build packs the postings once `indexed` articles are in, `packed` of them at the
 * last packing: every 1,000 at first, then each time the index has grown by a quarter. A packing
 * rewrites the whole index, so packing every 1,000 made a build quadratic (100 passes at 100k).
 */
export const packsNow = (indexed: number, packed: number): boolean =>
  indexed - packed >= Math.max(COMPACT_EVERY, packed * COMPACT_GROWTH);

/** Build an engine over `documents`. */
export function createEngine(documents: readonly CorpusDocument[], options: EngineOptions = {}): Engine {
  const settings = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const ranking: RankingOptions = { ...DEFAULT_RANKING, ...options.ranking };
  const lexicon = options.lexicon ?? defaultLexicon();
  const index = buildIndex(documents, options.restore);
  const analyse = questionAnalyser(settings, lexicon, ranking.predicateHeld);
  const semantic = createSemanticSignal(index, options.semantic, settings.logger);
  const acronyms = acronymsOf(index, lexicon);
  // What the ranking reads: the question with acronyms the corpus spells out written out.
  const readable = (question: string) => (settings.acronyms ? acronyms.expandIn(question) : question);

  const answer = (rawQuestion: string, answerOptions: AnswerOptions = {}): Answer => {
    const question = validateQuestion(rawQuestion);
    const perspective = perspectiveOf(index, question, settings.clock, answerOptions);
    if (perspective) return perspective;
    if (settings.detectLanguage && isNotEnglish(question, lexicon, (term) => index.has(term)))
      return declined(question, 'not_english');
    const analyzed = analyse(readable(question));
    if (settings.smallTalk && isSmallTalk(analyzed)) return usageReply(question);
    const rules: RankingOptions = answerOptions.claim ? { ...ranking, statedFigures: 'off' } : ranking;
    const ranked = rankPassages(
      restrictedIndex(index, answerOptions),
      analyzed,
      rules,
      semantic.of(question),
    );
    return answerFrom(index, question, analyzed, ranked, {
      maxCitations: answerOptions.maxCitations ?? settings.maxCitations,
      minCoverage: settings.minCoverage,
      continuation: settings.continuation,
      ranking: rules,
    });
  };

  return {
    answer,
    async answerAsync(rawQuestion, answerOptions) {
      const question = validateQuestion(rawQuestion);
      // A comparison or a timeline (see perspectiveOf) is not ranked: nothing to embed.
      const perspective = asksForTimeline(question) || (asksToCompare(question) && findTopic(question));
      if (!perspective) {
        const candidates = options.semantic?.embedCandidates
          ? () => rankPassages(index, analyse(readable(question)), ranking)
          : undefined;
        await semantic.prepare(question, candidates);
      }
      return answer(question, answerOptions);
    },
    embedQuestions: semantic.embedQuestions,
    vectors: semantic.vectors,
    unembedded: semantic.unembedded,
    embedSentences: semantic.embedSentences,
    compare: (topic) => compareOnTopic(index, topic),
    timeline: (timelineOptions) => timelineOf(index, timelineOptions),
    upsert: (document) => {
      index.upsert(document);
      acronyms.added(document.id);
      if (options.semantic?.embedOnUpsert !== false) semantic.embedArticle(document.id);
    },
    prepareAcronyms: (articles) => acronyms.prepare(articles),
    remove: (docId) => index.remove(docId),
    idf: (term) => index.idf(term),
    explain: (rawQuestion) => {
      const question = validateQuestion(rawQuestion);
      return rankPassages(index, analyse(readable(question)), ranking, semantic.of(question));
    },
    articles: () => articlesOf(index),
    document: (docId) => index.document(docId),
    passages: (docId) => index.passagesOf(docId),
    exportState: () => index.exportState(),
    compact: () => index.compact(),
    get passageCount() {
      return index.passageCount;
    },
  };
}

/** The passage index over `documents`: restored from a saved state, or built and packed. */
function buildIndex(
  documents: readonly CorpusDocument[],
  restore: PassageIndexState | undefined,
): PassageIndex {
  if (restore) return createPassageIndex({ documents, state: restore });
  const index = createPassageIndex();
  let packed = 0;
  documents.forEach((document, i) => {
    index.upsert(document);
    // Packed as the build goes: MiniSearch's Maps for a whole archive at once would peak at
    // several times the memory the packed index needs.
    if (packsNow(i + 1, packed)) {
      index.compact();
      packed = i + 1;
    }
  });
  index.compact();
  index.forgetAnalyses();
  return index;
}

/**
 * The corpus's acronym table (a pass over every sentence: about 0.6 s at 170,000 sentences, 6 s
 * at 1.7M). A long-running process reads it in slices in the background (`prepare`); questions
 * asked meanwhile are read without expanding acronyms, so none waits for the pass. A process
 * that never prepares it (a one-shot command, a test) builds it whole on the first question with
 * an acronym the index lacks. An added or changed article's sentences join it; a removed
 * article's names stay: asked for, they find no sentence.
 */
function acronymsOf(index: PassageIndex, lexicon: Lexicon) {
  const everyday = (word: string) =>
    (lexicon.frequencyRank(word) ?? Number.POSITIVE_INFINITY) <= COMMON_WORD_RANK;
  const sentences = function* (docIds: Iterable<string>) {
    for (const docId of docIds) for (const p of index.passagesOf(docId)) yield p.text;
  };
  let table: AcronymTable | undefined;
  // While prepared in slices: the articles still to read, and the table so far.
  let unread: string[] | undefined;
  let partial: AcronymTable | undefined;
  const prepare = (articles: number): boolean => {
    if (table) return true;
    if (!unread) {
      unread = [...index.documents()].map((d) => d.id);
      partial = createAcronymTable([], everyday);
    }
    partial!.add(sentences(unread.splice(0, Math.max(1, articles))));
    if (unread.length === 0) table = partial;
    return table !== undefined;
  };
  const complete = (): AcronymTable | undefined => {
    if (!table && !unread) prepare(Number.POSITIVE_INFINITY);
    return table;
  };
  const known = (acronym: string) => {
    const terms = analyzeTerms(acronym);
    return terms.length > 0 && terms.every((t) => index.has(t));
  };
  return {
    expandIn: (question: string) => {
      // The table is only read for an acronym the index lacks (most questions have none).
      const expand = (initials: string, numeral?: string) => complete()?.expand(initials, numeral);
      return expandAcronyms(question, { expand }, known);
    },
    prepare,
    /** After an article is added or changed: its names join the table (or the one being read). */
    added: (docId: string) => {
      if (!unread?.includes(docId)) (table ?? partial)?.add(sentences([docId]));
    },
  };
}

/** Question analysis with the engine's settings and lexicon. */
function questionAnalyser(
  settings: Pick<
    Required<EngineOptions>,
    'synonyms' | 'lexiconSynonyms' | 'inflections' | 'irregularForms' | 'phrases'
  >,
  lexicon: Lexicon,
  predicate: boolean,
): (question: string) => AnalyzedQuestion {
  return (question) =>
    analyzeQuestion(question, {
      lexicon,
      predicate,
      synonyms: settings.synonyms,
      lexiconSynonyms: settings.lexiconSynonyms,
      inflections: settings.inflections,
      irregularForms: settings.irregularForms,
      phrases: settings.phrases,
    });
}

/** The articles, newest first, each with its sentence count. */
function articlesOf(index: PassageIndex): ArticleSummary[] {
  return [...index.documents()]
    .map((d) => ({ ...articleOf(index, d.id), sentences: index.passageCountOf(d.id) }))
    .sort((a, b) => b.published.localeCompare(a.published) || a.docId.localeCompare(b.docId));
}

/** How an article is named in an answer's citations and related articles. */
function articleOf(index: PassageIndex, docId: string): RelatedArticle {
  const d = index.document(docId)!;
  return { docId: d.id, title: d.title, source: d.source, published: d.published, url: d.url ?? null };
}

// "Compare the proposals on NATO" and "What has changed since August?" get a comparison or a
// timeline instead of a plain answer: the intent words must be there, and for a comparison a topic.
function perspectiveOf(
  index: PassageIndex,
  question: string,
  clock: Clock,
  restrict: AnswerOptions = {},
): Answer | undefined {
  if (asksToCompare(question) && !restrict.docIds?.length && !restrict.since) {
    const topic = findTopic(question);
    if (topic) return compareOnTopic(index, topic.id, question);
  }
  if (asksForTimeline(question)) {
    const since = restrict.since ?? parseSince(question, clock.now()) ?? undefined;
    const topic = findTopic(question.replace(/\bsince\b.*$/i, ''));
    return timelineOf(index, { question, ...(since && { since }), ...(topic && { topic: topic.id }) });
  }
  return undefined;
}

/** What {@link answerFrom} needs of the engine's settings. */
interface CitationSettings {
  maxCitations: number;
  minCoverage: number;
  continuation: boolean;
  ranking: RankingOptions;
}

/** The answer to a ranked question: cited snippets when the best passage covers enough of it, related articles either way. */
function answerFrom(
  index: PassageIndex,
  question: string,
  analyzed: AnalyzedQuestion,
  ranked: Scored[],
  { maxCitations, minCoverage, continuation, ranking }: CitationSettings,
): Answer {
  const candidates = answeringCandidates(index, analyzed, ranked, minCoverage, ranking);
  const answered = candidates.length > 0;
  const windowOf = (p: Passage) => snippetWindow(p, index.passagesOf(p.docId));
  const chosen = answered
    ? selectCitations(
        candidates,
        maxCitations,
        minCoverage,
        windowOf,
        continuation ? (docId) => index.passagesOf(docId) : undefined,
      )
    : [];
  const citations = citationsOf(index, chosen);
  const citedDocs = new Set(citations.map((c) => c.docId));
  const related = relatedArticles(ranked, citedDocs, answered ? minCoverage * 0.6 : 0.2).map((docId) =>
    articleOf(index, docId),
  );
  const dated = citations.length ? citations : related;
  const asOf = dated.reduce<string | null>(
    (newest, a) => (newest === null || a.published > newest ? a.published : newest),
    null,
  );
  const partial = {
    kind: 'answer' as const,
    question,
    heading: null,
    answered,
    ...(!answered && { declineReason: 'not_in_sources' as const }),
    citations,
    related,
    silent: [],
    asOf,
  };
  return partial;
}

/**
 * The candidates citations may come from: none when the question or the best candidate fails the
 * refusal tests; with `ranking.everyCitationAnswers`, only those that pass them too (the second
 * and third quotes are as much an answer as the first; one that lacks what is asked is a confident
 * quote that does not answer). The floor is selectCitations' own, applied first so no test runs
 * on a candidate it would drop anyway.
 */
function answeringCandidates(
  index: PassageIndex,
  analyzed: AnalyzedQuestion,
  ranked: Scored[],
  minCoverage: number,
  ranking: RankingOptions,
): Scored[] {
  const best = ranked[0];
  if (!best || !questionCanBeAnswered(index, analyzed, ranking)) return [];
  const answers = (s: Scored) => passageAnswers(index, s, analyzed, minCoverage, ranking);
  if (!answers(best)) return [];
  if (!ranking.everyCitationAnswers) return ranked;
  const floor = best.score * CITATION_FLOOR;
  // A further quote adds to the first, which already carries the question: it need not hold two
  // of its concepts or the whole coverage (the pool's 0.8 of it), but must hold its focus and names.
  const furtherTests = { ...ranking, requireTwoConcepts: false };
  const adds = (s: Scored) => passageAnswers(index, s, analyzed, minCoverage * 0.8, furtherTests);
  return ranked.filter((s) => s === best || (s.score >= floor && adds(s)));
}

/** The chosen snippets as numbered citations, matched terms highlighted. */
function citationsOf(index: PassageIndex, chosen: ReturnType<typeof selectCitations>): Citation[] {
  return chosen.map(({ scored, adjusted, window }, i) => {
    const document = index.document(scored.passage.docId)!;
    const snippet = snippetText(window, document.body);
    return {
      n: i + 1,
      ...articleOf(index, document.id),
      snippet,
      score: Math.round(adjusted * 1000) / 1000,
      highlights: highlightsOf(snippet, scored.matched),
      sentences: [window[0]!.sentence, window.at(-1)!.sentence] as const,
      label: null,
    };
  });
}

function declined(question: string, declineReason: DeclineReason): Answer {
  const partial = {
    kind: 'answer' as const,
    question,
    heading: null,
    answered: false,
    declineReason,
    citations: [],
    related: [],
    silent: [],
    asOf: null,
  };
  return partial;
}

function usageReply(question: string): Answer {
  const partial = {
    kind: 'usage' as const,
    question,
    heading: null,
    answered: false,
    citations: [],
    related: [],
    silent: [],
    asOf: null,
  };
  return partial;
}

/** Most question vectors an engine keeps when it owns the cache. */
const QUESTION_CACHE = 1000;

/**
 * The sentence model's part of an engine: question vectors (cached per question text), the
 * sentence vectors and their background filler. Without a model every part is a no-op.
 */
function createSemanticSignal(index: PassageIndex, semantic: EngineOptions['semantic'], logger: Logger) {
  const encoder = semantic?.encoder;
  const vectors = encoder && (semantic?.vectors ?? createSentenceVectors(encoder.id, encoder.dimensions));
  const filler = encoder && vectors && createVectorFiller({ encoder, vectors, logger });
  // Question vectors by question text: a question asked again (or retried) is not embedded again.
  // A map passed in belongs to the caller (the eval shares one across engines) and is not trimmed.
  const shared = semantic?.questionVectors;
  const questionVectors = shared ?? new Map<string, Float32Array>();
  const remember = (question: string, vector: Float32Array) => {
    if (!shared && questionVectors.size >= QUESTION_CACHE)
      questionVectors.delete(questionVectors.keys().next().value!);
    questionVectors.set(question, vector);
  };
  const embedQuestions = async (questions: readonly string[]) => {
    if (!encoder) return;
    // Keyed as answer() looks them up: the validated question; questions it would refuse are skipped.
    const todo = [...new Set(validQuestions(questions))].filter((q) => !questionVectors.has(q));
    await embedInBatches(encoder, todo, remember);
  };
  const sentenceTexts = (docIds: Iterable<string>) =>
    [...docIds].flatMap((docId) => index.passagesOf(docId).map((p) => p.text));
  const allSentences = () => sentenceTexts([...index.documents()].map((d) => d.id));

  return {
    vectors,
    embedQuestions,
    /** The semantic score of a passage for an embedded question (undefined: not embedded). */
    of(question: string) {
      const q = questionVectors.get(question);
      if (!q || !vectors) return undefined;
      return (passage: Passage) => {
        const v = vectors.get(passage.text);
        return v && cosine(q, v);
      };
    },
    /** Embed the question, and the candidates with no vector yet if given; a failure leaves it lexical. */
    async prepare(question: string, candidates?: () => Scored[]) {
      if (!encoder || !vectors) return;
      try {
        await embedQuestions([question]);
        if (candidates) {
          const missing = [...new Set(candidates().map((s) => s.passage.text))].filter(
            (t) => !vectors.has(t),
          );
          await embedInBatches(encoder, missing, (text, vector) => {
            vectors.set(text, vector);
          });
        }
      } catch (error) {
        logger.warn('question not embedded; answering lexically', { error });
      }
    },
    unembedded: () => (vectors ? [...new Set(allSentences())].filter((t) => !vectors.has(t)) : []),
    async embedSentences() {
      if (!filler) return;
      filler.add(allSentences());
      await filler.idle();
    },
    /** Queue an article's sentences for the background filler. */
    embedArticle(docId: string) {
      if (filler) filler.add(sentenceTexts([docId]));
    },
  };
}

/** The questions {@link validateQuestion} accepts, validated; the others are skipped. */
function validQuestions(questions: readonly string[]): string[] {
  return questions.flatMap((q) => {
    try {
      return [validateQuestion(q)];
    } catch {
      return [];
    }
  });
}

/** Embed texts in batches (the model's memory grows with the batch and does not shrink). */
async function embedInBatches(
  encoder: SentenceEncoder,
  texts: readonly string[],
  keep: (text: string, vector: Float32Array) => void,
): Promise<void> {
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    const batch = texts.slice(i, i + EMBED_BATCH);
    const out = await encoder.embed(batch);
    batch.forEach((text, j) => {
      keep(text, out[j]!);
    });
  }
}
