import { shortDate } from '../corpus/corrections.ts';
import type { Digest } from '../digest/types.ts';
import type { SourceRef } from './answer-message.ts';
import { GAPS_HEADING, gapCountText } from './strings.ts';

// The neutral digest message: built once from the composer's data; the Block Kit, Discord embed
// and terminal renderers only lay it out within their limits.

/** One article of a digest: its marker, whether it is new or updated, its source and its quoted sentences. */
export interface DigestArticle {
  /** The marker "[n]", counted over the whole digest. */
  n: number;
  status: 'new' | 'updated';
  /** "New" or "Updated". */
  statusLabel: string;
  source: SourceRef;
  /** Verbatim sentences; renderers only escape them and may shorten them with "…". */
  quotes: string[];
}

/** The articles of one status under their heading ("New", "Updated"). */
export interface DigestGroup {
  heading: string;
  articles: DigestArticle[];
}

/** One corrected article: its line, and what changed sentence by sentence. */
export interface DigestCorrectionItem {
  /** "Title — Outlet, changed 3 Dec 2026: 1 sentence reworded". */
  line: string;
  url: string | null;
  /** "removed: “…”", or "was: “…”" followed by "now: “…”". */
  changes: string[];
}

/** One coverage gap as shown: its label, "3× by 2 people" and one phrasing. */
export interface DigestGapItem {
  label: string;
  countText: string;
  example: string;
}

/** A digest ready for any renderer. */
export interface DigestMessage {
  /** "peacedesk digest — 2026-01-02" (the day it was composed). */
  title: string;
  /** The one summary line every surface shows ("peacedesk digest: 2 new articles since …", "Nothing new since …"). */
  summary: string;
  /** Nothing to show but the summary: no articles, corrections, questions or gaps. */
  empty: boolean;
  /** New articles, then updated ones; a group with no articles is left out. */
  groups: DigestGroup[];
  /** Every article of the groups, in order. */
  articles: DigestArticle[];
  correctionsHeading: string;
  corrections: DigestCorrectionItem[];
  /** "Most asked" (the period is the summary's). */
  questionsHeading: string;
  questions: Array<{ question: string; count: number }>;
  gapsHeading: string;
  gaps: DigestGapItem[];
  /** "As of 2025-11-20 (newest article listed)."; null when nothing is new. */
  asOf: string | null;
}

/** "23 Nov 2026, 08:00 Europe/Kyiv" (a date alone, "2025-11-01", stays as written). */
export function formatSince(since: string, timeZone = 'UTC'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(since)) return since;
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(since));
  return `${text} ${timeZone}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The headline of a digest: what it covers and since when. */
export function digestHeadline(digest: Digest, timeZone = digest.timeZone ?? 'UTC'): string {
  const corrected = digest.corrections?.length ?? 0;
  if (digest.entries.length === 0 && corrected) {
    const what = plural(corrected, 'correction', 'corrections');
    return digest.since
      ? `peacedesk digest: ${what} since ${formatSince(digest.since, timeZone)}`
      : `peacedesk digest: ${what}`;
  }
  if (digest.entries.length === 0) {
    return digest.since
      ? `Nothing new since ${formatSince(digest.since, timeZone)}.`
      : 'The corpus is empty.';
  }
  const added = digest.entries.filter((e) => e.status === 'new').length;
  const updated = digest.entries.length - added;
  const parts = [
    added ? plural(added, 'new article', 'new articles') : '',
    updated ? `${updated} updated` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return digest.since
    ? `peacedesk digest: ${parts} since ${formatSince(digest.since, timeZone)}`
    : `peacedesk digest: ${plural(digest.entries.length, 'article', 'articles')} in the corpus`;
}

function correctionItems(digest: Digest): DigestCorrectionItem[] {
  return (digest.corrections ?? []).map((c) => ({
    line: `${c.title} — ${c.source}, changed ${shortDate(new Date(c.at))}: ${c.summary}`,
    url: c.url,
    changes: c.changes.flatMap((change) =>
      change.after === null
        ? [`removed: “${change.before}”`]
        : [`was: “${change.before}”`, `now: “${change.after}”`],
    ),
  }));
}

function groupsOf(digest: Digest): DigestGroup[] {
  let n = 0;
  const groups: DigestGroup[] = [];
  for (const [status, heading] of [
    ['new', 'New'],
    ['updated', 'Updated'],
  ] as const) {
    const articles = digest.entries
      .filter((e) => e.status === status)
      .map((e) => ({
        n: ++n,
        status,
        statusLabel: heading,
        source: { docId: e.docId, title: e.title, source: e.source, published: e.published, url: e.url },
        quotes: e.sentences.map((s) => s.snippet),
      }));
    if (articles.length) groups.push({ heading, articles });
  }
  return groups;
}

/** Build the neutral message for a digest (every digest renderer starts here). */
export function digestMessageOf(digest: Digest, timeZone = digest.timeZone ?? 'UTC'): DigestMessage {
  const groups = groupsOf(digest);
  const corrections = correctionItems(digest);
  const gaps = (digest.gaps ?? []).map((g) => ({
    label: g.label,
    countText: gapCountText(g),
    example: g.example,
  }));
  return {
    title: `peacedesk digest — ${digest.until.slice(0, 10)}`,
    summary: digestHeadline(digest, timeZone),
    empty: !digest.entries.length && !corrections.length && !digest.topQuestions.length && !gaps.length,
    groups,
    articles: groups.flatMap((g) => g.articles),
    correctionsHeading: 'Corrections',
    corrections,
    questionsHeading: 'Most asked',
    questions: digest.topQuestions,
    gapsHeading: GAPS_HEADING,
    gaps,
    asOf: digest.asOf ? `As of ${digest.asOf} (newest article listed).` : null,
  };
}
