import type { Engine } from '../answering/engine.ts';
import type { RelatedArticle } from '../answering/types.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { DigestChannel } from '../digest/channel-config.ts';
import type { AuditLog, Platform } from '../store/types.ts';
import type { Coverage } from './coverage.ts';
import type { CoverageGap } from './types.ts';

/** What a home screen shows (Slack's App Home): built once here, rendered by each adapter. */
export interface Overview {
  corpus: { articles: number; newest: string | null };
  /** The newest articles, newest first. */
  newest: RelatedArticle[];
  /** Articles with an update date, most recently updated first. */
  updated: Array<RelatedArticle & { updated: string }>;
  /** The platform's digest channels and what each gets. */
  digests: Array<Pick<DigestChannel, 'channelId' | 'schedule' | 'timeZone' | 'topQuestions' | 'gaps'>>;
  /** Most asked in the last 30 days. */
  mostAsked: Array<{ question: string; count: number }>;
  /** Coverage gaps of the last 30 days: only for editors, null for everyone else. */
  gaps: CoverageGap[] | null;
}

/** What {@link createOverview} reads. */
export interface OverviewDeps {
  engine: Pick<Engine, 'articles' | 'document'>;
  audit: Pick<AuditLog, 'topQuestions'>;
  /** Without it, editors see no gaps either. */
  coverage?: Pick<Coverage, 'gaps'> | undefined;
  channels: readonly DigestChannel[];
  clock?: Clock;
}

const LIST = 5;
const WINDOW_MS = 30 * 86_400_000;

/** Builds {@link Overview}s for one platform's users. */
export function createOverview(
  deps: OverviewDeps,
): (request: { platform: Platform; editor: boolean }) => Promise<Overview> {
  const clock = deps.clock ?? systemClock;
  return async ({ platform, editor }) => {
    const since = new Date(clock.now().getTime() - WINDOW_MS);
    const articles = deps.engine.articles();
    const updated = articles
      .flatMap((a) => {
        const date = deps.engine.document(a.docId)?.updated;
        return date
          ? [
              {
                docId: a.docId,
                title: a.title,
                source: a.source,
                published: a.published,
                url: a.url,
                updated: date,
              },
            ]
          : [];
      })
      .sort((a, b) => b.updated.localeCompare(a.updated))
      .slice(0, LIST);
    return {
      corpus: { articles: articles.length, newest: articles[0]?.published ?? null },
      newest: articles
        .slice(0, LIST)
        .map(({ docId, title, source, published, url }) => ({ docId, title, source, published, url })),
      updated,
      digests: deps.channels
        .filter((c) => c.platform === platform)
        .map(({ channelId, schedule, timeZone, topQuestions, gaps }) => ({
          channelId,
          schedule,
          timeZone,
          topQuestions,
          gaps,
        })),
      mostAsked: await deps.audit.topQuestions(since, LIST),
      gaps: editor && deps.coverage ? (await deps.coverage.gaps({ since, limit: LIST })).gaps : null,
    };
  };
}
