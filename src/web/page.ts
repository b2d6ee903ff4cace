import { createHash } from 'node:crypto';
import type { FeedbackReport, GapReport, QuestionsReport, ReportArticle } from '../coverage/types.ts';
import type { DigestRun, Platform } from '../store/types.ts';
import { questionsChart } from './chart.ts';
import { html, raw, type SafeHtml, safeUrl } from './html.ts';

/** A corpus article as the page lists it; copies and corrections appear once a store supplies them. */
export interface CorpusRow {
  docId: string;
  title: string;
  source: string;
  published: string;
  updated: string | null;
  url: string | null;
  /** Syndicated copies of the article, when known. */
  copies?: number;
  /** Corrections recorded for the article, when known. */
  corrections?: number;
}

/** One digest channel and its recent runs, newest first. */
export interface DigestHistory {
  platform: Platform;
  channelId: string;
  schedule: string;
  timeZone: string;
  runs: DigestRun[];
}

/** Everything the editors' page shows. */
export interface EditorsPageData {
  generatedAt: string;
  /** The window's start (ISO) and how it was asked for ("30d"). */
  since: string;
  window: string;
  corpus: CorpusRow[];
  gaps: GapReport;
  feedback: FeedbackReport;
  questions: QuestionsReport;
  digests: DigestHistory[];
}

const STYLE = `
:root{color-scheme:light;--ink:#1b2430;--muted:#5b6573;--line:#d9dee5;--accent:#1f3a5f;--soft:#e8eef6}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f7f8fa}
header{background:var(--accent);color:#fff;padding:12px 16px;display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between}
header h1{font-size:18px;margin:0}
header form{margin:0}
main{max-width:1100px;margin:0 auto;padding:12px}
nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin:4px 0 8px;font-size:14px}
nav a{color:var(--accent)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:12px 0}
h2{font-size:17px;margin:0 0 8px}
h3{font-size:15px;margin:14px 0 6px}
.muted{color:var(--muted);font-size:13px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{font-weight:600;color:var(--muted);white-space:nowrap}
td.n{text-align:right;white-space:nowrap}
td.d{white-space:nowrap}
q{font-style:italic}
blockquote{margin:4px 0 4px 0;padding:2px 10px;border-left:3px solid var(--line);color:#333}
.chart{width:100%;height:auto;max-height:260px}
.chart .asked{fill:#c9d4e3}
.chart .answered{fill:var(--accent)}
.chart .axis{stroke:#999;stroke-width:1}
.chart .tick{font-size:11px;fill:var(--muted)}
.legend{display:flex;gap:14px;font-size:13px;color:var(--muted)}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:baseline}
.swatch.answered{background:var(--accent)}.swatch.asked{background:#c9d4e3}
button,input{font:inherit}
button{background:#fff;color:var(--accent);border:1px solid #fff;border-radius:6px;padding:4px 10px;cursor:pointer}
.login{max-width:380px;margin:12vh auto;background:#fff;border:1px solid var(--line);border-radius:8px;padding:20px}
.login input{width:100%;padding:8px;margin:8px 0 12px;border:1px solid var(--line);border-radius:6px}
.login button{background:var(--accent);color:#fff;border-color:var(--accent);padding:8px 14px}
.error{color:#9b1c1c}
@media (max-width:640px){body{font-size:14px}th,td{padding:5px 6px}.hide-narrow{display:none}}
`;

/** The Content-Security-Policy the page is served with: no scripts at all, only this stylesheet. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

const layout = (title: string, body: SafeHtml): string =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${raw(STYLE)}</style></head>
<body>${body}</body></html>`.value;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
const pct = (share: number) => `${Math.round(share * 100)}%`;

const articleLink = (a: { title: string | null; url: string | null; docId: string }) => {
  const url = safeUrl(a.url);
  const text = a.title ?? `${a.docId} (removed)`;
  return url ? html`<a href="${url}" rel="noopener noreferrer nofollow">${text}</a>` : html`${text}`;
};
const articleLine = (a: ReportArticle) =>
  html`${articleLink(a)}${a.source ? html` <span class="muted">(${a.source}, ${a.published})</span>` : ''}`;

function corpusSection(rows: readonly CorpusRow[]): SafeHtml {
  const copies = rows.some((r) => r.copies !== undefined);
  const updated = rows.some((r) => r.updated !== null);
  const corrections = rows.some((r) => r.corrections !== undefined);
  const newest = rows.reduce<string | null>(
    (n, r) => (n === null || r.published > n ? r.published : n),
    null,
  );
  return html`<section id="corpus"><h2>Corpus</h2>
<p class="muted">${rows.length} article${rows.length === 1 ? '' : 's'}${newest ? `, newest ${newest}` : ''}.</p>
<div class="scroll"><table><thead><tr><th>Article</th><th>Source</th><th>Published</th>${updated ? html`<th>Updated</th>` : ''}${copies ? html`<th>Copies</th>` : ''}${corrections ? html`<th>Corrections</th>` : ''}</tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${articleLink(r)}</td><td>${r.source}</td><td class="d">${r.published}</td>${updated ? html`<td class="d">${r.updated ?? ''}</td>` : ''}${copies ? html`<td class="n">${r.copies ?? 0}</td>` : ''}${corrections ? html`<td class="n">${r.corrections ?? 0}</td>` : ''}</tr>`,
)}
</tbody></table></div></section>`;
}

function gapsSection(report: GapReport): SafeHtml {
  const rows = report.gaps.map(
    (g, i) => html`<tr class="gap" data-gap="${g.id}"><td class="n">${i + 1}</td>
<td><strong>${g.label}</strong>${g.topic ? html`<br><span class="muted">${g.topic.label}</span>` : ''}</td>
<td class="n">${g.count}</td><td class="n">${g.askers}</td><td class="d hide-narrow">${day(g.firstAsked)}</td><td class="d">${day(g.lastAsked)}</td>
<td>${g.examples.map((e) => html`<q>${e}</q><br>`)}</td>
<td>${g.closest.length ? g.closest.map((a) => html`${articleLine(a)}<br>`) : html`<span class="muted">none</span>`}</td></tr>`,
  );
  const closed = report.closed.map(
    (c) =>
      html`<tr class="closed"><td><q>${c.question}</q></td><td class="n">${c.count}</td><td class="d">${day(c.closedAt)}</td><td>${articleLine(c.closedBy)}</td></tr>`,
  );
  return html`<section id="gaps"><h2>Coverage gaps</h2>
<p class="muted">Declined questions grouped by what they ask about: ${report.declined} declined in the window. Ranked by how often and how recently asked.</p>
${
  rows.length
    ? html`<div class="scroll"><table><thead><tr><th>#</th><th>Asked about</th><th>Times</th><th>People</th><th class="hide-narrow">First</th><th>Last</th><th>Examples</th><th>Closest articles</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p>No open gaps: every declined question in the window is answered now.</p>`
}
${
  closed.length
    ? html`<h3>Closed: answered now</h3><div class="scroll"><table><thead><tr><th>Question</th><th>Times</th><th>Closed</th><th>By article</th></tr></thead><tbody>${closed}</tbody></table></div>`
    : ''
}</section>`;
}

const askedTable = (rows: FeedbackReport['mostAsked']) =>
  rows.length
    ? html`<div class="scroll"><table><thead><tr><th>Question</th><th>Times</th><th>Answered</th><th>People</th></tr></thead><tbody>${rows.map(
        (q) =>
          html`<tr><td><q>${q.question}</q></td><td class="n">${q.count}</td><td class="n">${pct(q.answerRate)}</td><td class="n">${q.askers}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">No questions in the window.</p>`;

function feedbackSection(report: FeedbackReport): SafeHtml {
  return html`<section id="feedback"><h2>Feedback</h2>
<p class="muted">${report.votes.up} up and ${report.votes.down} down votes in the window.</p>
<h3>Voted down</h3>
${
  report.downvoted.length
    ? report.downvoted.map(
        (
          d,
        ) => html`<div class="downvoted"><p><q>${d.question}</q> <span class="muted">${d.platform}, ${d.up} up · ${d.down} down${d.answeredAt ? `, answered ${day(d.answeredAt)}` : ''}</span></p>
${d.citations.map((c) => html`<blockquote>“${c.snippet}” — ${articleLine(c)}</blockquote>`)}
${d.comments.map((c) => html`<p class="comment"><strong>Comment:</strong> <q>${c}</q></p>`)}</div>`,
      )
    : html`<p class="muted">None.</p>`
}
<h3>Top citations rarely voted up</h3>
${
  report.weakCitations.length
    ? html`<div class="scroll"><table><thead><tr><th>Snippet</th><th>Article</th><th>Answers</th><th>Up</th><th>Down</th></tr></thead><tbody>${report.weakCitations.map(
        (w) =>
          html`<tr><td>“${w.snippet}”</td><td>${articleLine(w)}</td><td class="n">${w.answers}</td><td class="n">${w.up}</td><td class="n">${w.down}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">None.</p>`
}
<h3>Most asked</h3>${askedTable(report.mostAsked)}</section>`;
}

function questionsSection(report: QuestionsReport): SafeHtml {
  const share = report.asked ? pct(report.answered / report.asked) : '–';
  return html`<section id="questions"><h2>Questions per day</h2>
<p class="muted">${report.asked} asked by ${report.askers} people; ${share} answered.</p>
${questionsChart(report.days)}
<div class="legend"><span><span class="swatch answered"></span>answered</span><span><span class="swatch asked"></span>not answered</span></div>
</section>`;
}

function digestSection(histories: readonly DigestHistory[]): SafeHtml {
  return html`<section id="digests"><h2>Digest history</h2>
${
  histories.length
    ? histories.map(
        (
          h,
        ) => html`<h3>${h.platform} ${h.channelId} <span class="muted">${h.schedule} (${h.timeZone})</span></h3>
${
  h.runs.length
    ? html`<div class="scroll"><table><thead><tr><th>Period</th><th>Status</th><th>Finished</th><th>Via</th><th class="hide-narrow">Message</th></tr></thead><tbody>${h.runs.map(
        (r) =>
          html`<tr><td>${r.period}</td><td>${r.status}${r.error ? html`<br><span class="error">${r.error}</span>` : ''}</td><td>${r.finishedAt ? r.finishedAt.toISOString().replace('T', ' ').slice(0, 16) : ''}</td><td>${r.publisher}</td><td class="hide-narrow">${r.messageId ?? ''}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">No digest posted yet.</p>`
}`,
      )
    : html`<p class="muted">No digest channels configured (DIGEST_CONFIG).</p>`
}</section>`;
}

/** The editors' page: corpus, coverage gaps, feedback, questions per day, digest history. */
export function renderEditorsPage(data: EditorsPageData): string {
  return layout(
    'peacedesk — editors',
    html`<header><h1>peacedesk — editors</h1><form method="post" action="/logout"><button type="submit">Sign out</button></form></header>
<main><nav><a href="#gaps">Gaps</a><a href="#feedback">Feedback</a><a href="#questions">Questions</a><a href="#digests">Digests</a><a href="#corpus">Corpus</a></nav>
<p class="muted">Since ${day(data.since)} (${data.window}); as of ${data.generatedAt.replace('T', ' ').slice(0, 16)} UTC. No asker is shown: people are counted from salted hashes.</p>
${gapsSection(data.gaps)}${feedbackSection(data.feedback)}${questionsSection(data.questions)}${digestSection(data.digests)}${corpusSection(data.corpus)}
</main>`,
  );
}

/** The sign-in form (shown with 401 to any request without the token). */
export function renderLoginPage(message?: string): string {
  return layout(
    'peacedesk — sign in',
    html`<form class="login" method="post" action="/login"><h1>peacedesk editors</h1>
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<label for="token">Access token</label><input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512">
<button type="submit">Sign in</button></form>`,
  );
}
