// The door into the core for every surface: the ask service, and reading what people type
// (subcommands, topics, dates, claims to find sources for). Adapters import the core from here,
// from src/messages and as types (test/adapters/imports.test.ts holds them to it).

export { MAX_QUESTION_LENGTH } from '../answering/validate-question.ts';
export { type CommandRequest, parseCommandText } from '../command-text.ts';
export { parseReportSince } from '../coverage/since.ts';
export { findSources, MAX_SOURCES_TEXT, type SourcesReport } from '../find-sources/find-sources.ts';
export { STOP_WORDS } from '../text/stop-words.ts';
export { suggestedPrompts } from '../threads/suggested-prompts.ts';
export { listTopics } from '../topics/topics.ts';
export * from './answer-memory.ts';
export * from './ask-service.ts';
export * from './rate-limit.ts';
