// The message model, as adapters see it: the neutral answer message, the wording every surface
// shares, and the plain-text renderings (terminal, and the platforms' fallback text).

export { wrapText } from '../cli/wrap-text.ts';
export { stripControlCharacters } from '../corpus/control-characters.ts';
export { createConsolePublisher } from '../digest/console-publisher.ts';
export { correctionLines, renderDigestMessageText, renderDigestText } from '../digest/render-digest.ts';
export { MAX_CLAIMS } from '../find-sources/find-sources.ts';
export * from './answer-message.ts';
export * from './digest-message.ts';
export * from './render-sources-text.ts';
export * from './render-terminal.ts';
export * from './sources-message.ts';
export * from './strings.ts';
