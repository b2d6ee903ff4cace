/**
 * Slack's mrkdwn treats `<...>` as links and mentions (`<!channel>`, `<@U123>`) and `&` as the start
 * of an entity, so every piece of article or user text passes through {@link escapeText} first.
 */

/** Escape `&`, `<` and `>` so text shows as written and can never ping anyone. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>` for http(s) URLs Slack can link; just the escaped label for anything else. */
export function slackLink(url: string | null, label: string): string {
  const safeLabel = escapeText(label).replace(/\|/g, '¦');
  if (!url || !/^https?:\/\/[^\s<>|]+$/i.test(url)) return safeLabel;
  return `<${url.replace(/&/g, '&amp;')}|${safeLabel}>`;
}

/**
 * A Slack message's text as a plain question: mentions, channel links and URLs become their
 * labels, entities are decoded. `botUserId` mentions are dropped (they address the bot).
 */
export function slackToPlain(text: string, botUserId?: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_whole, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (botUserId && target === `@${botUserId}`) return ' ';
      if (label) return target.startsWith('#') ? `#${label}` : target.startsWith('@') ? `@${label}` : label;
      if (target.startsWith('!')) return `@${target.slice(1).split('^')[0]}`;
      return target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Shorten `text` to at most `max` characters, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * Shorten already-escaped text to at most `max` characters without cutting an entity (`&amp;`)
 * in half, ending with "…" when cut.
 */
export function clipEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut.trimEnd()}…`;
}

/** Prefix every line with `>` so the whole text is one mrkdwn block quote. */
export function quoteLines(text: string): string {
  return text
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}
