import { parseSince } from './answering/intent.ts';

// Shared by Slack's `/peacedesk <text>` and the terminal chat's `/compare …`, `/timeline …`: one
// reading of subcommands, topics and dates for every surface.

/** What the text after `/peacedesk` (or a chat's `/`) asks for. */
export type CommandRequest =
  | { kind: 'help' }
  | { kind: 'sources' }
  | { kind: 'compare'; topic: string }
  | { kind: 'timeline'; topic?: string; since?: string }
  | { kind: 'question'; question: string }
  /** `add <url>`: an editor adds an article from its link. */
  | { kind: 'add'; url: string }
  /** A subcommand used wrongly: tell the user how to use it. */
  | { kind: 'usage'; message: string };

/**
 * Read `/peacedesk` text: `help`, `sources`, `compare <topic>`, `timeline [topic] [since <date>]`,
 * otherwise a question. `today` resolves dates such as "August" (throws PeacedeskError
 * `invalid_date` for a date that does not exist).
 */
export function parseCommandText(text: string, today: Date): CommandRequest {
  const trimmed = text.trim();
  const [first = '', ...restWords] = trimmed.split(/\s+/);
  const keyword = first.toLowerCase();
  const rest = restWords.join(' ');
  if (trimmed === '' || (keyword === 'help' && rest === '')) return { kind: 'help' };
  if (keyword === 'sources' && rest === '') return { kind: 'sources' };
  if (keyword === 'add' && (rest === '' || /^<?https?:\/\/|^<?[a-z][a-z0-9+.-]*:\/\//i.test(rest)))
    return { kind: 'add', url: rest.replace(/^<|>$/g, '').replace(/\|.*$/, '') };
  if (keyword === 'compare') {
    if (rest === '')
      return { kind: 'usage', message: 'Say which topic to compare, e.g. "compare territory".' };
    return { kind: 'compare', topic: rest };
  }
  if (keyword === 'timeline') {
    const sinceAt = rest.search(/(?:^|\s)since(?:\s|$)/i);
    const topic = (sinceAt < 0 ? rest : rest.slice(0, sinceAt)).trim();
    let since: string | undefined;
    if (sinceAt >= 0) {
      const date = rest
        .slice(sinceAt)
        .trim()
        .replace(/^since/i, '')
        .trim();
      const parsed = date ? parseSince(date, today) : null;
      if (!parsed)
        return {
          kind: 'usage',
          message: `Could not read a date from "since ${date}"; write it like "since 2025-08-01" or "since August 2025".`,
        };
      since = parsed;
    }
    return { kind: 'timeline', ...(topic && { topic }), ...(since && { since }) };
  }
  return { kind: 'question', question: trimmed };
}
