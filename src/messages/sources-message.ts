import type { SourcesReport } from '../find-sources/find-sources.ts';
import type { SourceRef } from './answer-message.ts';
import { differenceLine } from './render-sources-text.ts';
import { NO_SOURCE_MESSAGE } from './strings.ts';

/** One passage bearing on a claim: verbatim, its source, and what it says differently (or null). */
export interface SourcesPassage {
  snippet: string;
  source: SourceRef;
  /** "the article says 880,000 and 600,000, the message 800,000" (never a verdict); null when nothing differs. */
  differs: string | null;
}

/** One claim (sentence) of the message and what bears on it. */
export interface SourcesClaim {
  /** 1-based, as shown ("1. Claim: …"). */
  n: number;
  claim: string;
  /** Why there is nothing to show: the engine refused the sentence, or no article bears on it. */
  note: string | null;
  passages: SourcesPassage[];
}

/** "Find sources for this", ready for any renderer. */
export interface SourcesMessage {
  title: string;
  /** What the report is and is not: the articles' words, no verdict. */
  noVerdict: string;
  claims: SourcesClaim[];
  /** "3 more sentences not looked up."; null when every claim was. */
  skipped: string | null;
  /** Said above a report re-posted in the channel. */
  sharedNote: string;
}

/** Build the neutral "find sources" message for a report (Slack and Discord render it; the chat prints its text). */
export function sourcesMessageOf(report: SourcesReport): SourcesMessage {
  return {
    title: 'Sources for this message',
    noVerdict: 'The articles’ own words, claim by claim; no verdict.',
    claims: report.claims.map((claim, i) => ({
      n: i + 1,
      claim: claim.claim,
      note: claim.problem ?? (claim.passages.length ? null : NO_SOURCE_MESSAGE),
      passages: claim.passages.map(({ citation, differences }) => ({
        snippet: citation.snippet,
        source: {
          docId: citation.docId,
          title: citation.title,
          source: citation.source,
          published: citation.published,
          url: citation.url,
        },
        differs: differences.length ? differences.map(differenceLine).join('; ') : null,
      })),
    })),
    skipped: report.skipped ? `${report.skipped} more sentences not looked up.` : null,
    sharedNote: 'Shared from a private lookup.',
  };
}
