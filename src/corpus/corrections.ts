import type { ArticleCopy, Correction, SentenceChange } from '../store/types.ts';
import { splitSentences } from '../text/sentences.ts';
import { words } from './near-duplicate.ts';

/** What changed between two versions of an article's body, sentence by sentence. */
export interface SentenceDiff {
  changes: SentenceChange[];
  added: string[];
  previousSentences: string[];
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The sentences of a Markdown body, white space evened out. */
export function sentencesOf(body: string): string[] {
  return splitSentences(body).map((s) => squash(s.text));
}

function overlap(a: string, b: string): number {
  const left = new Set(words(a));
  const right = new Set(words(b));
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / Math.max(1, Math.min(left.size, right.size) || 1);
}

/**
 * Compare two versions: each earlier sentence no longer present is paired with the later sentence
 * (not present before) that shares most of its words (a rewording: "now reads …"), or recorded as
 * removed; later sentences left unpaired are additions.
 */
export function diffSentences(beforeBody: string, afterBody: string): SentenceDiff {
  const before = sentencesOf(beforeBody);
  const after = sentencesOf(afterBody);
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  const fresh = after.filter((s) => !beforeSet.has(s));
  const used = new Set<string>();
  const changes: SentenceChange[] = [];
  for (const sentence of before) {
    if (afterSet.has(sentence)) continue;
    let best: string | null = null;
    let bestScore = 0.5;
    for (const candidate of fresh) {
      if (used.has(candidate)) continue;
      const score = overlap(sentence, candidate);
      if (score >= bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best) used.add(best);
    changes.push({ before: sentence, after: best });
  }
  return { changes, added: fresh.filter((s) => !used.has(s)), previousSentences: before };
}

/** "3 Dec 2026" in UTC. */
export function shortDate(at: Date): string {
  return at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A note to show under a quoted snippet about a change to its article. */
export interface QuoteNote {
  kind: 'now-reads' | 'removed' | 'earlier-read';
  /** YYYY-MM-DD of the correction. */
  at: string;
  /** The sentence as quoted. */
  sentence: string;
  /** The other version: what it now reads (now-reads) or what it read before (earlier-read). */
  other: string | null;
  /** The sentence for people: "Updated 3 Dec 2026: this sentence now reads “…”". */
  text: string;
}

/**
 * Notes for a snippet quoted from an article with corrections (oldest first). A quoted sentence
 * that a later version reworded or removed gets "Updated …: this sentence now reads …" (the quote
 * is stale: an answer built before the change, or a copy of it); a quoted sentence that is itself
 * the rewording gets "Corrected …: this sentence earlier read …", because a reporter quoting it
 * must know an earlier version said something else.
 */
export function quoteNotes(snippet: string, corrections: readonly Correction[]): QuoteNote[] {
  const quoted = squash(snippet);
  const notes: QuoteNote[] = [];
  const seen = new Set<string>();
  corrections.forEach((correction, index) => {
    for (const change of correction.changes) {
      if (seen.has(change.before) || !quoted.includes(change.before)) continue;
      seen.add(change.before);
      // Follow later corrections of the rewording: what the sentence reads today.
      let latest: { text: string | null; at: Date } = { text: change.after, at: correction.at };
      for (const later of corrections.slice(index + 1)) {
        const next = later.changes.find((c) => c.before === latest.text);
        if (next) latest = { text: next.after, at: later.at };
      }
      const when = shortDate(latest.at);
      notes.push(
        latest.text === null
          ? {
              kind: 'removed',
              at: latest.at.toISOString().slice(0, 10),
              sentence: change.before,
              other: null,
              text: `Updated ${when}: this sentence has since been removed from the article.`,
            }
          : {
              kind: 'now-reads',
              at: latest.at.toISOString().slice(0, 10),
              sentence: change.before,
              other: latest.text,
              text: `Updated ${when}: this sentence now reads “${latest.text}”`,
            },
      );
    }
  });
  for (const correction of [...corrections].reverse()) {
    for (const change of correction.changes) {
      if (!change.after || seen.has(change.after) || !quoted.includes(change.after)) continue;
      seen.add(change.after);
      notes.push({
        kind: 'earlier-read',
        at: correction.at.toISOString().slice(0, 10),
        sentence: change.after,
        other: change.before,
        text: `Corrected ${shortDate(correction.at)}: this sentence earlier read “${change.before}”`,
      });
    }
  }
  return notes;
}

/** "Also published by AP (2025-11-20), Kyiv Independent (2025-11-21)." */
export function alsoPublishedLine(copies: ReadonlyArray<Pick<ArticleCopy, 'source' | 'published'>>): string {
  return `Also published by ${copies.map((c) => `${c.source} (${c.published})`).join(', ')}.`;
}

/** The digest's line for one correction: what changed, shortly. */
export function correctionSummary(correction: Correction): string {
  const parts: string[] = [];
  const reworded = correction.changes.filter((c) => c.after !== null);
  const removed = correction.changes.filter((c) => c.after === null);
  if (correction.previousTitle !== correction.title) parts.push(`headline was “${correction.previousTitle}”`);
  if (reworded.length) parts.push(`${reworded.length} sentence${reworded.length === 1 ? '' : 's'} reworded`);
  if (removed.length) parts.push(`${removed.length} removed`);
  if (correction.added.length) parts.push(`${correction.added.length} added`);
  return parts.length ? parts.join(', ') : 'details changed';
}
