import { createHash } from 'node:crypto';
import type { Engine } from '../answering/engine.ts';
import { analyzeQuestion } from '../answering/question.ts';
import type { RelatedArticle } from '../answering/types.ts';
import { type Clock, systemClock } from '../clock.ts';
import { isPeacedeskError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { GapClosure, InsightStore, StoredQuestion, StoredVote } from '../store/types.ts';
import { createShippedLexicon, type Lexicon } from '../text/lexicon.ts';
import { topicById } from '../topics/topics.ts';
import { type AskGroup, type DeclinedAsk, groupAsks, type QuestionFocus } from './group.ts';
import type {
  AskedQuestion,
  ClosedQuestion,
  CoverageGap,
  DayCount,
  DownvotedAnswer,
  FeedbackReport,
  GapReport,
  QuestionsReport,
  ReportArticle,
  WeakCitation,
} from './types.ts';

/** What {@link createCoverage} reads. */
export interface CoverageDeps {
  engine: Pick<Engine, 'answer' | 'articles' | 'idf' | 'passageCount'>;
  insights: InsightStore;
  clock?: Clock;
  logger?: Logger;
  /** Word frequencies for telling everyday words from names; default the shipped list. */
  lexicon?: Lexicon;
  /** Keep closures in the store (default true); false for read-only previews, which only compute them. */
  persist?: boolean;
}

/** A report's window: from `since` (default 30 days back) to now; `limit` caps the rows listed. */
export interface ReportWindow {
  since?: Date;
  limit?: number;
  /** Only questions asked in this Slack workspace (gaps; a digest for one of several workspaces). */
  workspaceId?: string | undefined;
}

/** Coverage gaps, feedback and question volume, read from the audit log and votes. */
export interface Coverage {
  /**
   * Declined questions grouped into gaps, most asked and most recent first. Re-asks each declined
   * question against the current engine first: those now answered are closed, with their article.
   */
  gaps(window?: ReportWindow): Promise<GapReport>;
  /** 👎 answers with what they cited, top citations rarely voted up, the most asked questions. */
  feedback(window?: ReportWindow): Promise<FeedbackReport>;
  /** Questions per day with the answered share, and the most asked. */
  questions(window?: ReportWindow): Promise<QuestionsReport>;
  /** The corpus changed: re-ask declined questions at the next report even if counts look the same. */
  invalidate(): void;
}

const DAY_MS = 86_400_000;
/** An ask counts half after this many days in a gap's ranking. */
const HALF_LIFE_DAYS = 14;
/** Focus terms this close to the most distinctive one count as what the question is about. */
const FOCUS_MARGIN = 1;
const DEFAULT_WINDOW_DAYS = 30;

interface Reasked {
  answered: boolean;
  topDocId: string | null;
  related: RelatedArticle[];
}

/** Build a {@link Coverage} over the engine and the stores. */
export function createCoverage(deps: CoverageDeps): Coverage {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const { engine, insights } = deps;
  let lexicon = deps.lexicon;
  let generation = 0;
  const reasked = new Map<string, { signature: string; result: Reasked }>();

  const windowOf = (window: ReportWindow = {}) => {
    const until = clock.now();
    const since = window.since ?? new Date(until.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
    return { since, until, limit: window.limit ?? 20 };
  };

  const articleIndex = () => new Map(engine.articles().map((a) => [a.docId, a]));
  const articleOf = (index: Map<string, RelatedArticle>, docId: string): ReportArticle => {
    const a = index.get(docId);
    return a
      ? { docId, title: a.title, source: a.source, published: a.published, url: a.url }
      : { docId, title: null, source: null, published: null, url: null };
  };

  // The engine's own question analysis; the focus is what is most specific to the question.
  const focusCache = new Map<string, QuestionFocus>();
  const focusOf = (question: string): QuestionFocus => {
    const cached = focusCache.get(question);
    if (cached) return cached;
    // Only word frequencies are read (everyday word or not): WordNet stays unloaded.
    lexicon ??= createShippedLexicon();
    let analysed: ReturnType<typeof analyzeQuestion>;
    try {
      // Markup typed into a question ("<img src=x onerror=…>") is not what it asks about.
      const words = question.replace(/<[^<>]*>/g, ' ');
      analysed = analyzeQuestion(words, { lexicon, lexiconSynonyms: false, inflections: false });
    } catch {
      analysed = { kind: 'other', terms: [], focus: [], focusScope: 'article', focusIsPredicate: false };
    }
    const content = analysed.terms.filter((t) => t.salience >= 1);
    const scored = content.map((t) => ({
      term: t.term,
      surface: t.surface,
      score: engine.idf(t.term) + (t.name ? 1 : 0) - (t.common ? 1 : 0),
    }));
    const best = Math.max(...scored.map((s) => s.score));
    const focus = scored
      .filter((s) => s.score >= best - FOCUS_MARGIN)
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map(({ term, surface }) => ({ term, surface }));
    const result = { terms: analysed.terms.map((t) => t.term), focus };
    focusCache.set(question, result);
    return result;
  };

  const reask = (key: string, question: string, signature: string): Reasked => {
    const cached = reasked.get(key);
    if (cached?.signature === signature) return cached.result;
    let result: Reasked;
    try {
      const answer = engine.answer(question);
      result = {
        answered: answer.answered,
        topDocId: answer.citations[0]?.docId ?? null,
        related: answer.related,
      };
    } catch (error) {
      // Logged wordings were accepted once; one the engine now refuses stays a gap.
      if (!isPeacedeskError(error)) logger.warn('coverage: re-asking failed', { error });
      result = { answered: false, topDocId: null, related: [] };
    }
    reasked.set(key, { signature, result });
    return result;
  };

  // Re-ask each declined wording: answered now closes it (kept unless previewing), declined reopens it.
  const refresh = async (latest: ReadonlyMap<string, StoredQuestion>, signature: string) => {
    const closures = new Map((await insights.closures()).map((c) => [c.questionKey, c]));
    const now = clock.now();
    const open = new Set<string>();
    const relatedOf = new Map<string, RelatedArticle[]>();
    for (const [key, q] of latest) {
      const result = reask(key, q.question, signature);
      relatedOf.set(key, result.related);
      if (result.answered && result.topDocId) {
        if (closures.has(key)) continue;
        const closure = { questionKey: key, question: q.question, closedAt: now, docId: result.topDocId };
        if (deps.persist !== false) await insights.recordClosure(closure);
        closures.set(key, closure);
      } else {
        open.add(key);
        if (!closures.has(key)) continue;
        if (deps.persist !== false) await insights.removeClosure(key);
        closures.delete(key);
      }
    }
    return { open, closures, relatedOf };
  };

  return {
    invalidate() {
      generation++;
    },

    async gaps(window) {
      const { since, until, limit } = windowOf(window);
      focusCache.clear();
      const declined = (await insights.questions(since)).filter((q) => !q.answered);
      const latest = new Map<string, StoredQuestion>();
      for (const q of declined) latest.set(q.questionKey, q);
      const index = articleIndex();
      const { open, closures, relatedOf } = await refresh(
        latest,
        `${generation}:${engine.passageCount}:${index.size}`,
      );
      // Closures are worked out over every workspace (they are the corpus's); the report is the workspace's.
      const workspace = window?.workspaceId;
      const mine = workspace === undefined ? declined : declined.filter((q) => q.workspaceId === workspace);
      const asks: DeclinedAsk[] = mine
        .filter((q) => open.has(q.questionKey))
        .map((q) => ({
          question: q.question,
          key: q.questionKey,
          at: q.at,
          askerHash: q.askerHash,
          platform: q.platform,
          topic: q.topic,
        }));
      const known = { latest, relatedOf, articleOf: (docId: string) => articleOf(index, docId), until };
      const gaps = groupAsks(asks, focusOf)
        .map((group) => gapOf(group, known))
        .sort((a, b) => b.score - a.score || b.lastAsked.localeCompare(a.lastAsked));
      const closed = closedQuestions(mine, closures, open, known.articleOf);
      return {
        since: since.toISOString(),
        until: until.toISOString(),
        declined: mine.length,
        gaps: gaps.slice(0, limit),
        closed: closed.slice(0, limit),
      };
    },

    async feedback(window) {
      const { since, until, limit } = windowOf(window);
      // Votes come after answers: read answers from a little before the window, votes within it.
      const questions = await insights.questions(new Date(since.getTime() - 7 * DAY_MS));
      const votes = await insights.votes(since);
      const index = articleIndex();
      return {
        since: since.toISOString(),
        until: until.toISOString(),
        votes: {
          up: votes.filter((v) => v.value === 'up').length,
          down: votes.filter((v) => v.value === 'down').length,
        },
        ...feedbackLists(questions, votes, (docId) => articleOf(index, docId), limit),
        mostAsked: mostAsked(
          questions.filter((q) => q.at >= since),
          limit,
        ),
      };
    },

    async questions(window) {
      const { since, until, limit } = windowOf(window);
      const questions = await insights.questions(since);
      return {
        since: since.toISOString(),
        until: until.toISOString(),
        asked: questions.length,
        answered: questions.filter((q) => q.answered).length,
        askers: new Set(questions.map((q) => `${q.platform}:${q.askerHash}`)).size,
        days: perDay(questions, since, until),
        mostAsked: mostAsked(questions, limit),
      };
    },
  };
}

/** What a gap is built from besides its asks. */
interface GapContext {
  /** The latest declined ask of each wording. */
  latest: ReadonlyMap<string, StoredQuestion>;
  /** The engine's closest articles for each wording, as re-asked now. */
  relatedOf: ReadonlyMap<string, RelatedArticle[]>;
  articleOf(docId: string): ReportArticle;
  until: Date;
}

/** One group of asks as a gap: examples, closest articles, counts and its ranking score. */
function gapOf(group: AskGroup, known: GapContext): CoverageGap {
  const keyCounts = countBy(group.asks.map((a) => a.key));
  const keys = [...keyCounts.keys()].sort();
  const commonest = [...keyCounts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  // The commonest wording, then the latest other one.
  const examples = [known.latest.get(commonest)!.question];
  const other = [...group.asks].reverse().find((a) => a.key !== commonest);
  if (other) examples.push(other.question);
  const named = countBy(
    keys.flatMap((key) => {
      const related = known.relatedOf.get(key) ?? [];
      return related.length ? related.map((r) => r.docId) : known.latest.get(key)!.relatedDocIds;
    }),
  );
  const closest = [...named.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([docId]) => known.articleOf(docId));
  const topic = group.topic ? (topicById(group.topic) ?? null) : null;
  const weight = (at: Date) => 0.5 ** ((known.until.getTime() - at.getTime()) / DAY_MS / HALF_LIFE_DAYS);
  return {
    id: `g-${createHash('sha256').update(keys[0]!).digest('hex').slice(0, 10)}`,
    label: group.focus.join(', ') || topic?.label || examples[0]!,
    focus: group.focus,
    topic,
    count: group.asks.length,
    askers: new Set(group.asks.map((a) => a.askerHash)).size,
    firstAsked: group.asks[0]!.at.toISOString(),
    lastAsked: group.asks.at(-1)!.at.toISOString(),
    examples,
    platforms: [...new Set(group.asks.map((a) => a.platform))].sort(),
    closest,
    score: Math.round(group.asks.reduce((sum, a) => sum + weight(a.at), 0) * 1000) / 1000,
  };
}

/** Declined wordings that are closed now, most recently closed first. */
function closedQuestions(
  declined: readonly StoredQuestion[],
  closures: ReadonlyMap<string, GapClosure>,
  open: ReadonlySet<string>,
  articleOf: (docId: string) => ReportArticle,
): ClosedQuestion[] {
  const byKey = new Map<string, StoredQuestion[]>();
  for (const q of declined) byKey.set(q.questionKey, [...(byKey.get(q.questionKey) ?? []), q]);
  return [...byKey.entries()]
    .filter(([key]) => !open.has(key) && closures.has(key))
    .map(([key, asked]) => {
      const closure = closures.get(key)!;
      return {
        question: asked.at(-1)!.question,
        count: asked.length,
        lastAsked: asked.at(-1)!.at.toISOString(),
        closedAt: closure.closedAt.toISOString(),
        closedBy: articleOf(closure.docId),
      };
    })
    .sort((a, b) => b.closedAt.localeCompare(a.closedAt) || b.count - a.count);
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** The folded questions asked most, with how many were answered; the wording shown is the latest. */
export function mostAsked(questions: readonly StoredQuestion[], limit: number): AskedQuestion[] {
  const byKey = new Map<
    string,
    { question: string; count: number; answered: number; askers: Set<string>; last: number }
  >();
  for (const q of questions) {
    const entry = byKey.get(q.questionKey) ?? {
      question: q.question,
      count: 0,
      answered: 0,
      askers: new Set(),
      last: 0,
    };
    entry.question = q.question;
    entry.count++;
    if (q.answered) entry.answered++;
    entry.askers.add(`${q.platform}:${q.askerHash}`);
    entry.last = Math.max(entry.last, q.at.getTime());
    byKey.set(q.questionKey, entry);
  }
  return [...byKey.values()]
    .sort((a, b) => b.count - a.count || b.last - a.last)
    .slice(0, limit)
    .map((e) => ({
      question: e.question,
      count: e.count,
      answered: e.answered,
      answerRate: Math.round((e.answered / e.count) * 100) / 100,
      askers: e.askers.size,
    }));
}

/** Every day (UTC) from `since` to `until`, with the questions asked and answered on it. */
export function perDay(questions: readonly StoredQuestion[], since: Date, until: Date): DayCount[] {
  const days = new Map<string, DayCount>();
  const first = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  // At most a year of bars: a longer window starts a year before its end.
  const start = Math.max(first, until.getTime() - 366 * DAY_MS);
  for (let t = start; t <= until.getTime(); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, asked: 0, answered: 0 });
  }
  for (const q of questions) {
    const entry = days.get(q.at.toISOString().slice(0, 10));
    if (!entry) continue;
    entry.asked++;
    if (q.answered) entry.answered++;
  }
  return [...days.values()];
}

/** 👎 answers (newest first) and top citations rarely voted up (most 👎 first). */
export function feedbackLists(
  questions: readonly StoredQuestion[],
  votes: readonly StoredVote[],
  articleOf: (docId: string) => ReportArticle,
  limit: number,
): { downvoted: DownvotedAnswer[]; weakCitations: WeakCitation[] } {
  const answers = new Map<string, StoredQuestion>();
  for (const q of questions) if (q.answerId) answers.set(`${q.platform}\u0000${q.answerId}`, q);
  const tallies = new Map<
    string,
    {
      up: number;
      down: number;
      last: number;
      question: string | null;
      platform: StoredVote['platform'];
      comments: string[];
    }
  >();
  for (const v of votes) {
    const key = `${v.platform}\u0000${v.answerId}`;
    const t = tallies.get(key) ?? {
      up: 0,
      down: 0,
      last: 0,
      question: v.question,
      platform: v.platform,
      comments: [],
    };
    t[v.value]++;
    if (v.comment) t.comments.push(v.comment);
    t.last = Math.max(t.last, v.at.getTime());
    tallies.set(key, t);
  }
  const cite = (c: { docId: string; snippet: string }) => ({ ...articleOf(c.docId), snippet: c.snippet });

  const downvoted = [...tallies.entries()]
    .filter(([, t]) => t.down > 0)
    .sort((a, b) => b[1].last - a[1].last)
    .slice(0, limit)
    .map(([key, t]): DownvotedAnswer => {
      const answer = answers.get(key);
      return {
        question: answer?.question ?? t.question ?? '(question not recorded)',
        platform: t.platform,
        answeredAt: answer?.at.toISOString() ?? null,
        up: t.up,
        down: t.down,
        citations: (answer?.citations ?? []).map(cite),
        comments: t.comments,
      };
    });

  const byTop = new Map<
    string,
    { citation: { docId: string; snippet: string }; answers: number; up: number; down: number }
  >();
  for (const [key, answer] of answers) {
    const top = answer.citations[0];
    if (!answer.answered || !top) continue;
    const id = `${top.docId}\u0000${top.snippet}`;
    const entry = byTop.get(id) ?? { citation: top, answers: 0, up: 0, down: 0 };
    entry.answers++;
    const t = tallies.get(key);
    if (t) {
      entry.up += t.up;
      entry.down += t.down;
    }
    byTop.set(id, entry);
  }
  const weakCitations = [...byTop.values()]
    .filter((e) => e.up + e.down > 0 && e.up / (e.up + e.down) < 0.5)
    .sort((a, b) => b.down - a.down || b.answers - a.answers)
    .slice(0, limit)
    .map((e) => ({ ...cite(e.citation), answers: e.answers, up: e.up, down: e.down }));
  return { downvoted, weakCitations };
}
