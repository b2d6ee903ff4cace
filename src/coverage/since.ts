import { parseSince } from '../answering/intent.ts';
import { PeacedeskError } from '../errors.ts';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * The start of a report's window: "7d", "24h", "2w" back from `now`, or any date the engine's
 * `since` reading understands ("2025-08-01", "August", "last week"). Throws PeacedeskError `usage`.
 */
export function parseReportSince(text: string, now: Date): Date {
  const value = text.trim().toLowerCase();
  const relative = /^(\d{1,4})\s*([hdw])$/.exec(value);
  if (relative)
    return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as 'h' | 'd' | 'w']);
  let date: string | null;
  try {
    date = value ? parseSince(value, now) : null;
  } catch (error) {
    throw new PeacedeskError('usage', (error as Error).message);
  }
  if (!date)
    throw new PeacedeskError(
      'usage',
      `"${text.slice(0, 80)}" is not a time: write 7d, 24h, 2w, a date (2025-08-01) or a month (August).`,
    );
  return new Date(`${date}T00:00:00Z`);
}
