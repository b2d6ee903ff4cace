import { shortDate } from '../corpus/corrections.ts';
import { GAPS_HEADING, gapCountText, sourceLine } from '../messages/strings.ts';
import type { Digest, DigestCorrection, DigestEntry } from './types.ts';

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

function entryLines(entry: DigestEntry, n: number): string[] {
  const lines = [`[${n}] ${sourceLine(entry)}${entry.url ? ` <${entry.url}>` : ''}`];
  for (const sentence of entry.sentences) lines.push(`    “${sentence.snippet}” [${n}]`);
  return lines;
}

/** Render a digest for a terminal (and the console publisher): cited sentences under each article. */
export function renderDigestText(digest: Digest, timeZone = digest.timeZone ?? 'UTC'): string {
  const lines = [digestHeadline(digest, timeZone)];
  if (digest.entries.length === 0 && !digest.corrections?.length)
    return [lines[0]!, ...gapLines(digest)].join('\n');
  let n = 0;
  for (const [status, heading] of [
    ['new', 'New'],
    ['updated', 'Updated'],
  ] as const) {
    const entries = digest.entries.filter((e) => e.status === status);
    if (!entries.length) continue;
    lines.push('', heading);
    entries.forEach((entry, i) => {
      if (i > 0) lines.push('');
      lines.push(...entryLines(entry, ++n));
    });
  }
  if (digest.corrections?.length) lines.push('', ...correctionLines(digest.corrections));
  if (digest.topQuestions.length) {
    lines.push('', digest.since ? 'Asked most since then:' : 'Asked most:');
    for (const q of digest.topQuestions) lines.push(`  ${q.count}× ${q.question}`);
  }
  lines.push(...gapLines(digest));
  if (digest.asOf) lines.push('', `As of ${digest.asOf} (newest article listed).`);
  return lines.join('\n');
}

function gapLines(digest: Digest): string[] {
  if (!digest.gaps?.length) return [];
  return [
    '',
    `${GAPS_HEADING}:`,
    ...digest.gaps.map((g) => `  ${g.label} (${gapCountText(g)}): “${g.example}”`),
  ];
}

/** "Corrections:" then per corrected article its source line, what changed and the sentences before and after. */
export function correctionLines(corrections: readonly DigestCorrection[]): string[] {
  const lines = ['Corrections:'];
  for (const c of corrections) {
    lines.push(
      `- ${c.title} — ${c.source}, changed ${shortDate(new Date(c.at))}: ${c.summary}${c.url ? ` <${c.url}>` : ''}`,
    );
    for (const change of c.changes)
      lines.push(
        change.after === null
          ? `    removed: “${change.before}”`
          : `    was: “${change.before}”\n    now: “${change.after}”`,
      );
  }
  return lines;
}
