import type { DayCount } from '../coverage/types.ts';
import { html, type SafeHtml } from './html.ts';

/**
 * Questions per day as an inline SVG bar chart: each bar is the day's questions, its dark part
 * the answered ones; a title per bar gives the figures (and the answered share).
 */
export function questionsChart(days: readonly DayCount[]): SafeHtml {
  const width = 640;
  const height = 180;
  const pad = { left: 32, right: 8, top: 10, bottom: 22 };
  const max = Math.max(1, ...days.map((d) => d.asked));
  const slot = (width - pad.left - pad.right) / Math.max(1, days.length);
  const bar = Math.max(1, slot * 0.75);
  const y = (n: number) => pad.top + (height - pad.top - pad.bottom) * (1 - n / max);
  const base = y(0);
  const asked = days.reduce((sum, d) => sum + d.asked, 0);
  const answered = days.reduce((sum, d) => sum + d.answered, 0);
  const share = asked ? Math.round((answered / asked) * 100) : 0;
  const bars = days.map((d, i) => {
    const x = (pad.left + i * slot + (slot - bar) / 2).toFixed(1);
    const pct = d.asked ? Math.round((d.answered / d.asked) * 100) : 0;
    const title = `${d.day}: ${d.asked} asked, ${d.answered} answered${d.asked ? ` (${pct}%)` : ''}`;
    return html`<g class="day"><title>${title}</title><rect class="asked" x="${x}" y="${y(d.asked).toFixed(1)}" width="${bar.toFixed(1)}" height="${(base - y(d.asked)).toFixed(1)}"></rect><rect class="answered" x="${x}" y="${y(d.answered).toFixed(1)}" width="${bar.toFixed(1)}" height="${(base - y(d.answered)).toFixed(1)}"></rect></g>`;
  });
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title" data-days="${days.length}">
<title id="chart-title">Questions per day, ${first} to ${last}: ${asked} asked, ${answered} answered (${share}%)</title>
<line class="axis" x1="${pad.left}" y1="${base}" x2="${width - pad.right}" y2="${base}"></line>
<text class="tick" x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end">${max}</text>
<text class="tick" x="${pad.left - 4}" y="${base}" text-anchor="end">0</text>
${bars}
<text class="tick" x="${pad.left}" y="${height - 6}">${first}</text>
<text class="tick" x="${width - pad.right}" y="${height - 6}" text-anchor="end">${last}</text>
</svg>`;
}
