import type { Overview } from '../../src/coverage/overview.ts';
import { GAPS_HEADING, gapCountText } from '../../src/messages/index.ts';
import { type Block, context, linkedSourceLine, section } from './blocks.ts';
import { escapeText, truncate } from './escape.ts';

/** Slack's limit on blocks in a Home tab view. */
const HOME_BLOCKS = 100;

const divider: Block = { type: 'divider' };
const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, 150) },
});

/** The App Home tab: the corpus, newest and updated articles, digests, most asked, and gaps for editors. */
export function homeView(
  overview: Overview,
  options: { digestsOfUser?: boolean } = {},
): { type: 'home'; blocks: Block[] } {
  const { corpus } = overview;
  const blocks: Block[] = [
    header('peacedesk'),
    section(
      corpus.articles
        ? `*Corpus as of ${escapeText(corpus.newest ?? '')}* · ${corpus.articles} article${corpus.articles === 1 ? '' : 's'}. Ask me in a direct message, mention me in a channel, or use the slash command.`
        : '*The corpus is empty.*',
    ),
  ];
  const list = (title: string, lines: string[], empty: string) => {
    blocks.push(divider, section(`*${title}*\n${lines.length ? lines.join('\n') : `_${empty}_`}`));
  };
  list(
    'Newest articles',
    overview.newest.map((a) => `• ${linkedSourceLine(a, 400)}`),
    'None yet.',
  );
  if (overview.updated.length)
    list(
      'Updated articles',
      overview.updated.map((a) => `• ${linkedSourceLine(a, 360)} (updated ${escapeText(a.updated)})`),
      '',
    );
  list(
    options.digestsOfUser ? 'Digests in your channels' : 'Digests',
    // <#C…> shows the channel's name; it never notifies anyone.
    overview.digests.map(
      (d) =>
        `• <#${escapeText(d.channelId)}>: \`${escapeText(d.schedule)}\` (${escapeText(d.timeZone)})${d.gaps ? `, with ${d.gaps} coverage gap${d.gaps === 1 ? '' : 's'}` : ''}`,
    ),
    options.digestsOfUser ? 'None of your channels gets a digest.' : 'No channel gets a digest yet.',
  );
  list(
    'Most asked (last 30 days)',
    overview.mostAsked.map((q) => `• ${escapeText(truncate(q.question, 150))} (${q.count}×)`),
    'Nothing asked yet.',
  );
  if (overview.gaps) {
    list(
      `${GAPS_HEADING} (editors)`,
      overview.gaps.map(
        (g) =>
          `• *${escapeText(truncate(g.label, 80))}* (${gapCountText(g)}): “${escapeText(truncate(g.examples[0] ?? '', 150))}”`,
      ),
      'No open gaps in the last 30 days.',
    );
    blocks.push(
      context(
        'Only editors see this section. `npm run report -- gaps` and the editors’ page list every gap.',
      ),
    );
  }
  return { type: 'home', blocks: blocks.slice(0, HOME_BLOCKS) };
}
