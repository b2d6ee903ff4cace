import MiniSearch, { type SearchResult } from 'minisearch';
import type { CorpusDocument } from '../corpus/schema.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { analyzeTerms } from '../text/analyze.ts';
import { INDEX_OPTIONS, type IndexedPassage } from './index-options.ts';
import { type Passage, passagesOf } from './passages.ts';
import { type AnalyzedQuestion, analyzeQuestion, answerKindMatch, type QuestionTerm } from './question.ts';
import { renderText } from './render-text.ts';
import { highlightsOf, snippetText, snippetWindow } from './snippet.ts';
import type { Answer, ArticleSummary, Citation, RelatedArticle } from './types.ts';
import { validateQuestion } from './validate-question.ts';

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
}

/** Defaults for {@link EngineOptions}, merged once in {@link createEngine}. */
export const DEFAULT_ENGINE_OPTIONS = {
  maxCitations: 3,
  minCoverage: 0.55,
  logger: silentLogger,
} satisfies Required<EngineOptions>;

/** Per-call options of {@link Engine.answer}. */
export interface AnswerOptions {
  /** Most citations for this answer (overrides the engine's default). */
  maxCitations?: number;
}

/** The answering engine: a passage index over the corpus that turns questions into {@link Answer}s. */
export interface Engine {
  /** Answer a question with cited verbatim snippets, or decline. Throws PeacedeskError on bad input. */
  answer(question: string, options?: AnswerOptions): Answer;
  /** Add an article, or replace the one with the same id. */
  upsert(document: CorpusDocument): void;
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
  /** Number of indexed passages. */
  readonly passageCount: number;
}

/** Ranking details of one candidate passage; exposed for the evaluation report. */
export interface Scored {
  passage: Passage;
  /** MiniSearch's BM25 score relative to the best candidate (0–1). */
  retrieval: number;
  /** Weighted share of the question's terms the passage holds (0–1). */
  coverage: number;
  /** How close together the matched terms stand (0–1). */
  proximity: number;
  /** Whether the passage holds the kind of answer asked for (0–1; 0.5 when the kind is unknown). */
  kindMatch: number;
  /** The blend of the above that orders candidates. */
  score: number;
  /** Terms (asked, synonyms, spelling matches) found in the passage: what gets bolded. */
  matched: Set<string>;
}

// How much a term counts when it is found only in a neighbouring sentence, the title or heading,
// via a synonym, or via a spelling correction, relative to the asked word in the passage itself.
const NEIGHBOUR_MATCH = 0.5;
const SYNONYM_MATCH = 0.75;
const FUZZY_MATCH = 0.7;
const CANDIDATES = 60;
const TERM_FOCUS = 1.5;

/**
 * The ranking formula. Retrieval (BM25 via MiniSearch) finds candidates; the blend orders them:
 * coverage decides most (a passage that holds more of what was asked is the better answer),
 * BM25 breaks ties toward rarer, denser matches, proximity favours terms that stand together,
 * and the answer-kind match pulls up figures for "how many", names for "who", dates for "when".
 */
export const RANKING_WEIGHTS = { coverage: 0.6, retrieval: 0.15, proximity: 0.1, kindMatch: 0.15 } as const;

/** Build an engine over `documents`. */
export function createEngine(documents: readonly CorpusDocument[], options: EngineOptions = {}): Engine {
  const settings = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const index = new MiniSearch<IndexedPassage>(INDEX_OPTIONS);
  const docs = new Map<string, CorpusDocument>();
  const byDoc = new Map<string, Passage[]>();
  const passagesById = new Map<string, Passage>();
  const documentFrequency = new Map<string, number>();
  const contextTerms = new Map<string, Set<string>>();

  const countTerms = (passage: Passage, delta: 1 | -1) => {
    for (const term of passage.terms) {
      const next = (documentFrequency.get(term) ?? 0) + delta;
      if (next > 0) documentFrequency.set(term, next);
      else documentFrequency.delete(term);
    }
  };

  const contextOf = (passage: Passage): Set<string> => {
    const key = `${passage.docId}\u0000${passage.heading ?? ''}`;
    let terms = contextTerms.get(key);
    if (!terms) {
      const title = docs.get(passage.docId)?.title ?? '';
      terms = new Set(analyzeTerms(`${title} ${passage.heading ?? ''}`));
      contextTerms.set(key, terms);
    }
    return terms;
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
    for (const key of contextTerms.keys()) if (key.startsWith(`${docId}\u0000`)) contextTerms.delete(key);
    return true;
  };

  const upsert = (document: CorpusDocument) => {
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
  };

  const idf = (term: string): number => {
    const n = passagesById.size;
    const df = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };

  /** Index terms spelled like an unknown question term (typos, transliterations), best first. */
  const spellingMatches = (term: string): string[] => {
    if (documentFrequency.has(term) || term.length < 5 || /^\p{N}/u.test(term)) return [];
    const results = index.search(term, { fuzzy: term.length >= 9 ? 2 : 1, fields: ['text'] });
    const found = new Set<string>();
    for (const result of results.slice(0, 20)) for (const t of result.terms) if (t !== term) found.add(t);
    return [...found].slice(0, 3);
  };

  const retrieve = (question: AnalyzedQuestion, fuzzy: Map<string, string[]>): SearchResult[] => {
    const subqueries = question.terms.flatMap((t) => {
      const parts = [{ queries: [t.term], boostTerm: () => t.salience }];
      if (t.synonyms.length) parts.push({ queries: t.synonyms, boostTerm: () => t.salience * SYNONYM_MATCH });
      const spelled = fuzzy.get(t.term) ?? [];
      if (spelled.length) parts.push({ queries: spelled, boostTerm: () => t.salience * FUZZY_MATCH });
      return parts;
    });
    return index.search({ combineWith: 'OR', queries: subqueries }).slice(0, CANDIDATES);
  };

  const score = (
    question: AnalyzedQuestion,
    fuzzy: Map<string, string[]>,
    result: SearchResult,
    best: number,
  ): Scored => {
    const passage = passagesById.get(result.id as string)!;
    const article = byDoc.get(passage.docId)!;
    const neighbours = [article[passage.sentence - 1], article[passage.sentence + 1]].filter(
      (p): p is Passage => p !== undefined,
    );
    const context = contextOf(passage);
    const matched = new Set<string>();
    let weightSum = 0;
    let covered = 0;
    for (const t of question.terms) {
      const weight = t.salience * termWeight(t, fuzzy);
      weightSum += weight;
      covered += weight * matchLevel(t, passage, neighbours, context, fuzzy, matched);
    }
    const coverage = weightSum > 0 ? covered / weightSum : 0;
    const proximity = proximityOf(passage, matched);
    const kindMatch = answerKindMatch(question.kind, passage.text);
    const retrieval = best > 0 ? result.score / best : 0;
    const total =
      RANKING_WEIGHTS.coverage * coverage +
      RANKING_WEIGHTS.retrieval * retrieval +
      RANKING_WEIGHTS.proximity * proximity +
      RANKING_WEIGHTS.kindMatch * kindMatch;
    return { passage, retrieval, coverage, proximity, kindMatch, score: total, matched };
  };

  // Coverage weighs terms by idf^TERM_FOCUS: above 1, the question's rarest terms (its focus:
  // "attractive", "Kherson") outweigh the names that occur everywhere ("Putin", "Ukraine").
  const termWeight = (t: QuestionTerm, fuzzy: Map<string, string[]>): number => {
    const spelled = fuzzy.get(t.term);
    const known = documentFrequency.has(t.term);
    // A content word the corpus never uses counts as the rarest word there is (that is what makes
    // "population of Brazil" off-topic); a generic one ("find") says nothing either way.
    const base = known ? idf(t.term) : spelled?.length ? idf(spelled[0]!) : t.salience < 1 ? 1 : idf(t.term);
    return base ** TERM_FOCUS;
  };

  const rank = (question: AnalyzedQuestion): Scored[] => {
    const fuzzy = new Map(question.terms.map((t) => [t.term, spellingMatches(t.term)]));
    const results = retrieve(question, fuzzy);
    const best = results[0]?.score ?? 0;
    return results.map((result) => score(question, fuzzy, result, best)).sort((a, b) => b.score - a.score);
  };

  const articleOf = (docId: string): RelatedArticle => {
    const d = docs.get(docId)!;
    return { docId: d.id, title: d.title, source: d.source, published: d.published, url: d.url ?? null };
  };

  const answer = (rawQuestion: string, answerOptions: AnswerOptions = {}): Answer => {
    const question = validateQuestion(rawQuestion);
    const maxCitations = answerOptions.maxCitations ?? settings.maxCitations;
    const analyzed = analyzeQuestion(question);
    const ranked = analyzed.terms.length ? rank(analyzed) : [];
    const top = ranked[0];
    const answered = top !== undefined && top.coverage >= settings.minCoverage;
    const windowOf = (p: Passage) => snippetWindow(p, byDoc.get(p.docId)!);
    const chosen = answered ? selectCitations(ranked, maxCitations, settings.minCoverage, windowOf) : [];
    const citations: Citation[] = chosen.map(({ scored, adjusted, window }, i) => {
      const document = docs.get(scored.passage.docId)!;
      const snippet = snippetText(window, document.body);
      return {
        n: i + 1,
        ...articleOf(document.id),
        snippet,
        score: Math.round(adjusted * 1000) / 1000,
        highlights: highlightsOf(snippet, scored.matched),
        sentences: [window[0]!.sentence, window.at(-1)!.sentence] as const,
      };
    });
    const citedDocs = new Set(citations.map((c) => c.docId));
    const related = relatedArticles(ranked, citedDocs, answered ? settings.minCoverage * 0.6 : 0.2).map(
      articleOf,
    );
    const dated = citations.length ? citations : related;
    const asOf = dated.reduce<string | null>(
      (newest, a) => (newest === null || a.published > newest ? a.published : newest),
      null,
    );
    const partial = { question, answered, citations, related, asOf };
    return { ...partial, text: renderText(partial) };
  };

  for (const document of documents) upsert(document);

  return {
    answer,
    upsert,
    remove,
    idf,
    explain: (question) => {
      const analyzed = analyzeQuestion(validateQuestion(question));
      return analyzed.terms.length ? rank(analyzed) : [];
    },
    articles: () =>
      [...docs.values()]
        .map((d) => ({ ...articleOf(d.id), sentences: byDoc.get(d.id)?.length ?? 0 }))
        .sort((a, b) => b.published.localeCompare(a.published) || a.docId.localeCompare(b.docId)),
    document: (docId) => docs.get(docId),
    passages: (docId) => byDoc.get(docId) ?? [],
    get passageCount() {
      return passagesById.size;
    },
  };
}

/** How well a passage holds one question term (1 = the word itself, less for weaker evidence). */
function matchLevel(
  t: QuestionTerm,
  passage: Passage,
  neighbours: readonly Passage[],
  context: ReadonlySet<string>,
  fuzzy: Map<string, string[]>,
  matched: Set<string>,
): number {
  if (passage.terms.has(t.term)) {
    matched.add(t.term);
    return 1;
  }
  const synonym = t.synonyms.find((s) => passage.terms.has(s));
  if (synonym) {
    matched.add(synonym);
    return SYNONYM_MATCH;
  }
  const spelled = fuzzy.get(t.term)?.find((s) => passage.terms.has(s));
  if (spelled) {
    matched.add(spelled);
    return FUZZY_MATCH;
  }
  if (context.has(t.term) || neighbours.some((p) => p.terms.has(t.term))) return NEIGHBOUR_MATCH;
  return 0;
}

/** 1 when the matched terms stand side by side, falling toward 0 as they spread out. */
function proximityOf(passage: Passage, matched: ReadonlySet<string>): number {
  if (matched.size < 2) return 0;
  const positions: Array<[number, string]> = [];
  passage.tokens.forEach((token, i) => {
    if (matched.has(token.term)) positions.push([i, token.term]);
  });
  // Smallest window of token positions that holds every matched term (two-pointer sweep).
  const need = matched.size;
  const counts = new Map<string, number>();
  let best = Number.POSITIVE_INFINITY;
  let left = 0;
  for (let right = 0; right < positions.length; right++) {
    const term = positions[right]![1];
    counts.set(term, (counts.get(term) ?? 0) + 1);
    while (counts.size === need) {
      best = Math.min(best, positions[right]![0] - positions[left]![0] + 1);
      const leftTerm = positions[left]![1];
      const c = counts.get(leftTerm)! - 1;
      if (c === 0) counts.delete(leftTerm);
      else counts.set(leftTerm, c);
      left++;
    }
  }
  return Number.isFinite(best) ? (need - 1) / (best - 1 || 1) : 0;
}

/**
 * Pick the citations: the best candidate first, then the best of the rest after a gentle
 * penalty per citation already taken from the same article (so several articles appear when
 * several answer), skipping overlaps and near-duplicates and never padding with weak passages.
 */
function selectCitations(
  ranked: readonly Scored[],
  max: number,
  minCoverage: number,
  windowOf: (passage: Passage) => Passage[],
): Array<{ scored: Scored; adjusted: number; window: Passage[] }> {
  const chosen: Scored[] = [];
  const adjustedScores: number[] = [];
  const windows = new Map<Scored, Passage[]>();
  const window = (s: Scored) => {
    const known = windows.get(s);
    if (known) return known;
    const computed = windowOf(s.passage);
    windows.set(s, computed);
    return computed;
  };
  const overlaps = (a: Scored, b: Scored) =>
    (a.passage.docId === b.passage.docId && window(a).some((p) => window(b).includes(p))) ||
    jaccard(a.passage.terms, b.passage.terms) > 0.6;
  const floor = ranked[0]!.score * 0.6;
  const pool = ranked.filter((s) => s.score >= floor && s.coverage >= minCoverage * 0.8);
  while (chosen.length < max) {
    let pick: Scored | undefined;
    let pickScore = Number.NEGATIVE_INFINITY;
    for (const candidate of pool) {
      if (chosen.includes(candidate) || chosen.some((c) => overlaps(c, candidate))) continue;
      const sameDoc = chosen.filter((c) => c.passage.docId === candidate.passage.docId).length;
      const adjusted = candidate.score * 0.85 ** sameDoc;
      if (adjusted > pickScore) {
        pick = candidate;
        pickScore = adjusted;
      }
    }
    if (!pick) break;
    chosen.push(pick);
    adjustedScores.push(pickScore);
  }
  // The score shown is the one that set the order, so citations read best first.
  return chosen.map((scored, i) => ({ scored, adjusted: adjustedScores[i]!, window: window(scored) }));
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Articles among the candidates, best first, that are not cited, up to three. */
function relatedArticles(
  ranked: readonly Scored[],
  cited: ReadonlySet<string>,
  minCoverage: number,
): string[] {
  const out: string[] = [];
  for (const s of ranked) {
    if (out.length === 3) break;
    if (s.coverage < minCoverage || cited.has(s.passage.docId) || out.includes(s.passage.docId)) continue;
    out.push(s.passage.docId);
  }
  return out;
}
