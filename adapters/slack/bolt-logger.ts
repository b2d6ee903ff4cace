import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/logger.ts';

// Bolt logs variadic values; ours takes one message. Objects may be circular, so never throw here.
function format(parts: unknown[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if (part instanceof Error) return part.message;
      try {
        return JSON.stringify(part);
      } catch {
        return String(part);
      }
    })
    .join(' ');
}

/** Bolt's (and the Web API and Socket Mode clients') logger interface over ours. */
export function toBoltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const fields = { component: 'bolt' };
  return {
    debug: (...parts: unknown[]) => logger.debug(format(parts), fields),
    info: (...parts: unknown[]) => logger.info(format(parts), fields),
    warn: (...parts: unknown[]) => logger.warn(format(parts), fields),
    error: (...parts: unknown[]) => logger.error(format(parts), fields),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
