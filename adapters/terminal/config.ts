import { z } from 'zod';

/** The terminal chat's settings (it has no credentials: it is always available). */
export interface TerminalConfig {
  /** Questions per minute (`CHAT_ASKS_PER_MINUTE`, default 30: only the person at the keyboard asks). */
  asksPerMinute: number;
}

/** `CHAT_*` from the environment. */
export const terminalConfigSchema = z
  .object({ CHAT_ASKS_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(30) })
  .transform((e): TerminalConfig => ({ asksPerMinute: e.CHAT_ASKS_PER_MINUTE }));
