import type { Platform } from '../store/types.ts';

/** One informative sentence of a digest entry: verbatim, cited by the entry's article. */
export interface DigestSentence {
  /** Verbatim article text (same rules as answer snippets). */
  snippet: string;
  /** Position among the article's sentences. */
  sentence: number;
}

/** An article new (or changed) since the channel's last digest. */
export interface DigestEntry {
  status: 'new' | 'updated';
  docId: string;
  title: string;
  source: string;
  published: string;
  url: string | null;
  /** Its two or three most informative sentences, in article order. */
  sentences: DigestSentence[];
}

/** A correction to an article since the last digest: what changed, in short and sentence by sentence. */
export interface DigestCorrection {
  docId: string;
  title: string;
  source: string;
  url: string | null;
  /** ISO time the changed version was ingested. */
  at: string;
  /** "1 sentence reworded, 1 removed". */
  summary: string;
  /** The first few changed sentences: before, and after (null when removed). */
  changes: Array<{ before: string; after: string | null }>;
}

/** A digest for one channel and period: composed by the core, rendered by each adapter. */
export interface Digest {
  platform: Platform | 'console';
  channelId: string;
  /** Start of the period (ISO time of the last digest), or null for "the whole corpus". */
  since: string | null;
  /** End of the period (ISO time). */
  until: string;
  entries: DigestEntry[];
  /** Corrections to articles in the period, oldest first (issue 16; absent without a store for them). */
  corrections?: DigestCorrection[];
  /** Most-asked questions in the period, most first (may be empty). */
  topQuestions: Array<{ question: string; count: number }>;
  /** Newest `published` among the entries, or null when nothing is new. */
  asOf: string | null;
  /** The IANA time zone its dates are written in ("since 23 Nov 2026, 08:00 Europe/Kyiv"); default UTC. */
  timeZone?: string;
  /** Asked in the period but not in the sources (coverage gaps), most asked first; absent when not asked for. */
  gaps?: DigestGap[];
}

/** One coverage gap as a digest lists it: no asker is named. */
export interface DigestGap {
  /** What it is about ("Brazil, mediator"). */
  label: string;
  /** Times asked in the period. */
  count: number;
  /** Distinct askers. */
  askers: number;
  /** One phrasing, as asked. */
  example: string;
}

/** Posts a digest to a channel on one platform; each adapter implements it. */
export interface DigestPublisher {
  readonly platform: Platform | 'console';
  /** Post the digest; resolves to the platform's message id. */
  publish(channelId: string, digest: Digest): Promise<{ messageId: string }>;
}

/** Composes the digest a channel would get next, without posting or recording it (`/digest`). */
export interface DigestPreviewer {
  preview(platform: Platform, channelId: string): Promise<Digest>;
}
