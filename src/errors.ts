/** Stable error codes: adapters map them to short user messages; logs and tests match on them. */
export type ErrorCode =
  | 'empty_question'
  | 'question_too_long'
  | 'control_characters'
  | 'no_searchable_terms'
  | 'unknown_topic'
  | 'invalid_date'
  | 'invalid_config'
  | 'corpus_unreadable'
  | 'usage'
  | 'database_corrupt'
  | 'database_unwritable'
  | 'invalid_digest_config'
  | 'service_unreachable'
  | 'port_in_use'
  | 'fetch_refused'
  | 'invalid_feeds_config'
  | 'not_an_article';

/** A typed, expected failure. `message` is written for the person who has to act on it. */
export class PeacedeskError extends Error {
  override readonly name = 'PeacedeskError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** True when `error` is a PeacedeskError (optionally with the given code). */
export function isPeacedeskError(error: unknown, code?: ErrorCode): error is PeacedeskError {
  return error instanceof PeacedeskError && (code === undefined || error.code === code);
}
