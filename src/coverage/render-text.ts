import type { FeedbackReport, GapReport, QuestionsReport, ReportArticle } from './types.ts';

/** Plain-text table: columns padded to their widest cell, cells cut at `max` characters. */
export function textTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  max = 60,
): string {
  const cut = (cell: string) => {
    const flat = cell.replace(/\s+/g, ' ').trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };
  const cells = [header, ...rows].map((row) => row.map(cut));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

const day = (iso: string) => iso.slice(0, 10);
const articleName = (a: ReportArticle) =>
  a.title ? `${a.title} (${a.source}, ${a.published})` : `${a.docId} (removed)`;
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The gap report as text: one row per gap, then the questions closed since. */
export function renderGapReport(report: GapReport): string {
  const lines = [
    `Coverage gaps, ${day(report.since)} to ${day(report.until)}: ${report.declined} declined question${report.declined === 1 ? '' : 's'}.`,
  ];
  if (!report.gaps.length)
    lines.push('', 'No open gaps: every declined question in this window is answered now.');
  else {
    lines.push(
      '',
      textTable(
        ['#', 'Asked about', 'Times', 'People', 'Last asked', 'Examples', 'Closest article'],
        report.gaps.map((g, i) => [
          String(i + 1),
          g.topic ? `${g.label} [${g.topic.id}]` : g.label,
          String(g.count),
          String(g.askers),
          day(g.lastAsked),
          g.examples.map((e) => `“${e}”`).join(' / '),
          g.closest[0] ? articleName(g.closest[0]) : '(none)',
        ]),
        70,
      ),
    );
  }
  if (report.closed.length) {
    lines.push(
      '',
      'Closed (answered now):',
      textTable(
        ['Question', 'Times', 'Closed', 'By article'],
        report.closed.map((c) => [
          `“${c.question}”`,
          String(c.count),
          day(c.closedAt),
          articleName(c.closedBy),
        ]),
        70,
      ),
    );
  }
  return lines.join('\n');
}

/** The feedback report as text: 👎 answers, weak top citations, most asked. */
export function renderFeedbackReport(report: FeedbackReport): string {
  const lines = [
    `Feedback, ${day(report.since)} to ${day(report.until)}: ${report.votes.up} 👍, ${report.votes.down} 👎.`,
    '',
    'Voted 👎:',
  ];
  if (!report.downvoted.length) lines.push('  (none)');
  for (const d of report.downvoted) {
    lines.push(
      `  “${d.question}” (${d.platform}, 👍 ${d.up} · 👎 ${d.down}${d.answeredAt ? `, answered ${day(d.answeredAt)}` : ''})`,
    );
    for (const [i, c] of d.citations.entries())
      lines.push(`    [${i + 1}] “${c.snippet.replace(/\s+/g, ' ').slice(0, 160)}” — ${articleName(c)}`);
    for (const comment of d.comments)
      lines.push(`    comment: “${comment.replace(/\s+/g, ' ').slice(0, 300)}”`);
  }
  lines.push('', 'Top citations rarely voted up:');
  lines.push(
    report.weakCitations.length
      ? textTable(
          ['Snippet', 'Article', 'Answers', '👍', '👎'],
          report.weakCitations.map((w) => [
            `“${w.snippet}”`,
            articleName(w),
            String(w.answers),
            String(w.up),
            String(w.down),
          ]),
        )
      : '  (none)',
  );
  lines.push('', 'Most asked:', askedTable(report.mostAsked));
  return lines.join('\n');
}

function askedTable(rows: FeedbackReport['mostAsked']): string {
  if (!rows.length) return '  (none)';
  return textTable(
    ['Question', 'Times', 'Answered', 'People'],
    rows.map((q) => [`“${q.question}”`, String(q.count), percent(q.answerRate), String(q.askers)]),
    80,
  );
}

/** The questions report as text: totals, one row per day with questions, the most asked. */
export function renderQuestionsReport(report: QuestionsReport): string {
  const share = report.asked ? percent(report.answered / report.asked) : '–';
  const days = report.days.filter((d) => d.asked > 0);
  return [
    `Questions, ${day(report.since)} to ${day(report.until)}: ${report.asked} asked by ${report.askers} people, ${share} answered.`,
    '',
    days.length
      ? textTable(
          ['Day', 'Asked', 'Answered', 'Share'],
          days.map((d) => [d.day, String(d.asked), String(d.answered), percent(d.answered / d.asked)]),
        )
      : '  (no questions)',
    '',
    'Most asked:',
    askedTable(report.mostAsked),
  ].join('\n');
}
