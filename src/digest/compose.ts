import type { Engine } from '../answering/engine.ts';
import { informativeSentences } from '../answering/informative-sentences.ts';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { correctionSummary } from '../corpus/corrections.ts';
import type { Coverage } from '../coverage/coverage.ts';
import type {
  AuditLog,
  DigestRunStore,
  DocumentRegistry,
  LiveCorpusStore,
  Platform,
  RegisteredDocument,
} from '../store/types.ts';
import type { Digest, DigestCorrection, DigestEntry } from './types.ts';

/** What {@link createDigestComposer} reads. Without stores every digest covers the whole corpus. */
export interface DigestComposerDeps {
  engine: Engine;
  documents?: DocumentRegistry | undefined;
  digests?: DigestRunStore | undefined;
  audit?: AuditLog | undefined;
  /** Where corrections are kept; with it the digest lists corrections since the last one. */
  corrections?: Pick<LiveCorpusStore, 'correctionsSince'> | undefined;
  clock?: Clock;
  /** Coverage gaps for the "Asked but not in the sources" section; without it the section is left out. */
  coverage?: Pick<Coverage, 'gaps'> | undefined;
}

/** Per-digest options of {@link DigestComposer.compose}. */
export interface ComposeOptions {
  platform: Platform;
  channelId: string;
  /**
   * Record the corpus in the document registry first (a real run). False composes from what is
   * recorded without writing anything (previews).
   */
  record: boolean;
  /** Instead of "since the channel's last digest": articles published or updated on or after this date (YYYY-MM-DD). */
  sinceDate?: string | undefined;
  /** Most-asked questions to include. Default 3. */
  topQuestions?: number;
  /** Coverage gaps to include ("Asked but not in the sources"). Default 0. */
  gaps?: number;
  /** Time zone for the dates in `text`. Default UTC. */
  timeZone?: string;
  /** Platform to stamp on the digest (the publisher's), when it differs from the channel's. */
  publishedAs?: Digest['platform'];
}

/** A composed digest and the corpus revision it covers up to (the next digest's baseline). */
export interface ComposedDigest {
  digest: Digest;
  corpusRevision: number;
}

/** Composes digests from the engine's corpus and the store's record of what each channel got. */
export interface DigestComposer {
  compose(options: ComposeOptions): Promise<ComposedDigest>;
}

/** Build a {@link DigestComposer}. */
export function createDigestComposer(deps: DigestComposerDeps): DigestComposer {
  const clock = deps.clock ?? systemClock;
  const { engine } = deps;

  return {
    async compose(options) {
      const now = clock.now();
      const current = engine.articles().flatMap((article) => {
        const document = engine.document(article.docId);
        return document ? [{ article, contentHash: document.contentHash }] : [];
      });
      // A real run records the corpus first, so the revision it covers includes every article shown.
      let corpusRevision = 0;
      if (deps.documents && options.record) {
        const seen = current.map((c) => ({ docId: c.article.docId, contentHash: c.contentHash }));
        corpusRevision = (await deps.documents.sync(seen)).revision;
      } else if (deps.documents) {
        corpusRevision = await deps.documents.revision();
      }
      const registered = new Map<string, RegisteredDocument>(
        (deps.documents ? await deps.documents.list() : []).map((r) => [r.docId, r]),
      );
      const last =
        options.sinceDate === undefined
          ? await deps.digests?.lastDelivered(options.platform, options.channelId)
          : undefined;

      const statusOf = (
        docId: string,
        contentHash: string,
        published: string,
        updated: string | undefined,
      ) => {
        if (options.sinceDate !== undefined) {
          if (published >= options.sinceDate) return 'new';
          return updated !== undefined && updated >= options.sinceDate ? 'updated' : null;
        }
        if (!last) return 'new';
        const row = registered.get(docId);
        // Not yet in the registry (a preview before the first real run): new since any digest.
        if (!row || row.addedRevision > last.corpusRevision) return 'new';
        if (row.contentHash !== contentHash || row.changedRevision > last.corpusRevision) return 'updated';
        return null;
      };

      const entries: DigestEntry[] = [];
      for (const { article, contentHash } of current) {
        const status = statusOf(
          article.docId,
          contentHash,
          article.published,
          engine.document(article.docId)?.updated,
        );
        if (!status) continue;
        const picked = informativeSentences(engine.passages(article.docId), (term) => engine.idf(term), {
          title: article.title,
        });
        entries.push({
          status,
          docId: article.docId,
          title: article.title,
          source: article.source,
          published: article.published,
          url: article.url,
          sentences: picked.map(({ passage }) => ({ snippet: passage.text, sentence: passage.sentence })),
        });
      }
      entries.sort((a, b) => (a.status === b.status ? 0 : a.status === 'new' ? -1 : 1));

      const since = options.sinceDate ?? last?.claimedAt.toISOString() ?? null;
      const wanted = options.topQuestions ?? 3;
      const questionsSince = options.sinceDate
        ? new Date(`${options.sinceDate}T00:00:00Z`)
        : (last?.claimedAt ?? new Date(0));
      // A Slack channel written TEAM:CHANNEL (OAuth installs) hears only its own workspace's questions.
      const workspaceId = workspaceOfChannel(options.platform, options.channelId);
      const topQuestions =
        deps.audit && wanted > 0 ? await deps.audit.topQuestions(questionsSince, wanted, workspaceId) : [];
      const asOf = entries.reduce<string | null>(
        (newest, e) => (newest === null || e.published > newest ? e.published : newest),
        null,
      );
      const wantedGaps = options.gaps ?? 0;
      const gaps =
        deps.coverage && wantedGaps > 0
          ? (await deps.coverage.gaps({ since: questionsSince, limit: wantedGaps, workspaceId })).gaps.map(
              (g) => ({
                label: g.label,
                count: g.count,
                askers: g.askers,
                example: g.examples[0] ?? g.label,
              }),
            )
          : undefined;
      const corrections: DigestCorrection[] = deps.corrections
        ? (await deps.corrections.correctionsSince(questionsSince)).map((c) => ({
            docId: c.docId,
            title: c.title,
            source: c.source,
            url: engine.document(c.docId)?.url ?? null,
            at: c.at.toISOString(),
            summary: correctionSummary(c),
            changes: c.changes.slice(0, 3),
          }))
        : [];
      const partial = {
        ...(gaps && { gaps }),
        platform: options.publishedAs ?? options.platform,
        channelId: options.channelId,
        since,
        until: now.toISOString(),
        entries,
        ...(corrections.length && { corrections }),
        topQuestions,
        asOf,
      };
      const digest = options.timeZone ? { ...partial, timeZone: options.timeZone } : partial;
      return { digest, corpusRevision };
    },
  };
}

/** The workspace of a Slack digest channel written `TEAM:CHANNEL` ("T0123ABC:C0456DEF"), else undefined. */
export function workspaceOfChannel(platform: Platform, channelId: string): string | undefined {
  if (platform !== 'slack') return undefined;
  const match = /^([TE][A-Z0-9]+):[A-Z0-9]+$/.exec(channelId);
  return match?.[1];
}
