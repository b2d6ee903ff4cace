// The plain-text rendering of a "find sources for this" report (the terminal, and the platforms'
// fallback text): the core hands over data, the wording lives here.
import { type Difference, MAX_CLAIMS, type SourcesReport } from '../find-sources/find-sources.ts';
import { NO_SOURCE_MESSAGE, sourceLine } from './strings.ts';

/** "the article says 880,000 and 600,000, the message 800,000" (no verdict, only the two side by side). */
export function differenceLine(difference: Difference): string {
  const said =
    difference.passage.length > 1
      ? `${difference.passage.slice(0, -1).join(', ')} and ${difference.passage.at(-1)}`
      : difference.passage[0];
  return `the article says ${said}, the message ${difference.claim}`;
}

/** The report for a terminal (and the plain-text fallback of the platforms). */
export function renderSourcesText(report: SourcesReport): string {
  const lines: string[] = [];
  report.claims.forEach((claim, i) => {
    if (i) lines.push('');
    lines.push(`${i + 1}. Claim: “${claim.claim}”`);
    if (claim.problem) lines.push(`   ${claim.problem}`);
    else if (!claim.passages.length) lines.push(`   ${NO_SOURCE_MESSAGE}`);
    for (const { citation, differences } of claim.passages) {
      lines.push(
        `   “${citation.snippet}”`,
        `   — ${sourceLine(citation)}${citation.url ? ` <${citation.url}>` : ''}`,
      );
      if (differences.length) lines.push(`   Differs: ${differences.map(differenceLine).join('; ')}.`);
    }
  });
  if (report.skipped)
    lines.push(
      '',
      `${report.skipped} more sentence${report.skipped === 1 ? '' : 's'} not looked up (at most ${MAX_CLAIMS} at a time).`,
    );
  return lines.join('\n');
}
