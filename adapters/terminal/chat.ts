import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../../src/answering/engine.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import {
  type Asker,
  type AskResult,
  type AskService,
  createAskService,
} from '../../src/conversation/ask-service.ts';
import { findSources, listTopics, parseCommandText } from '../../src/conversation/index.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { type Logger, silentLogger } from '../../src/logger.ts';
import {
  APOLOGY_MESSAGE,
  rateLimitMessage,
  renderSourcesText,
  renderText,
  sourceLine,
  stripControlCharacters,
  wrapText,
} from '../../src/messages/index.ts';
import type { Service } from '../../src/service.ts';
import type { AuditLog } from '../../src/store/types.ts';
import type { ThreadContext } from '../../src/threads/context.ts';

/** Options of {@link createTerminalChat}. */
export interface TerminalChatOptions {
  engine: Engine;
  input: Readable;
  output: Writable;
  /** Lines printed before the first prompt (which adapters are off, skipped files). */
  banner?: string[];
  /** Bold matched terms with ANSI escapes (a real terminal without NO_COLOR). */
  color?: boolean;
  /** Line editing, Ctrl-C handling and prompt redraws: on for a real terminal, off when piped. */
  terminal?: boolean;
  /** The terminal's width, read before each answer (it can be resized); unknown means no wrapping. */
  columns?: () => number | undefined;
  /** Where each question is recorded (platform `terminal`), as Slack and Discord do. */
  audit?: AuditLog;
  /** Questions per minute before a "slow down" (CHAT_ASKS_PER_MINUTE), as on Slack and Discord. Default 30. */
  asksPerMinute?: number;
  /** Who is asking, for the audit log (which keeps only a salted hash of it). */
  userId?: string;
  clock?: Clock;
  logger?: Logger;
  /** Called when the user leaves (Ctrl-D, Ctrl-C on an empty line, /quit) or input ends. */
  onClose?: () => void;
}

/** The terminal chat service; `printAbove` shows something (a digest, a log line) above the prompt. */
export interface TerminalChat extends Service {
  /** Run `write` (which prints whole lines) above the prompt, then redraw the prompt and the half-typed line. */
  printAbove(write: () => void): void;
}

const PROMPT = 'peacedesk> ';
// Emphasis is marked with two private-use characters while the text is cleaned and wrapped, and
// turned into ANSI bold only at the end, so nothing else in the output can carry an escape.
const BOLD_ON = '\uE000';
const BOLD_OFF = '\uE001';

const COMMANDS = `Commands:
  /compare <topic>                   the proposals side by side on one topic
  /timeline [topic] [since <date>]   the documents in date order, one quoted sentence each
  /sources                           the articles the answers come from
  /sources-for <text>                the passages that bear on each sentence of a pasted text
  /new                               start a new subject (follow-ups otherwise build on the last question)
  /help                              this help
  /quit or /exit (or Ctrl-D)         leave
Topics: ${listTopics()
  .map((t) => t.id)
  .join(', ')}. Dates: 2025-08-01, August 2025, August, 2025, last month.`;

/** The chat's help text: what to ask, what comes back, and every command. */
export const CHAT_HELP = `Ask a question about the Russia–Ukraine peace proposals, e.g.
  What does the US draft say about NATO?
  How much of Donbas does Russia hold?
  Compare the proposals on territory.      What has changed since August?
Answers quote the articles word for word, each quote numbered [n] with its source below; when the
articles do not cover a question, it says so and lists the closest articles. Follow-ups build on
the last question ("what about NATO?", "and since August?", "the Reuters one").
${COMMANDS}
Ctrl-C clears a half-typed line; Ctrl-C on an empty line leaves.`;

const CHAT_COMMANDS = new Set([
  'help',
  'sources',
  'compare',
  'timeline',
  'quit',
  'exit',
  'new',
  'sources-for',
]);

/** Prints whole lines: control characters stripped, wrapped to the width, bold as ANSI or dropped. */
function createPrinter(
  options: Pick<TerminalChatOptions, 'output' | 'columns' | 'color'>,
): (text: string) => void {
  const render = (text: string) => {
    const clean = wrapText(stripControlCharacters(text), options.columns?.());
    return options.color
      ? clean.replaceAll(BOLD_ON, '\u001b[1m').replaceAll(BOLD_OFF, '\u001b[22m')
      : clean.replaceAll(BOLD_ON, '').replaceAll(BOLD_OFF, '');
  };
  return (text) => options.output.write(`${render(text)}\n`);
}

/** Marks matched terms for {@link createPrinter} (bold on a terminal, nothing when piped). */
const emphasise = (text: string) => `${BOLD_ON}${text}${BOLD_OFF}`;

/** What a chat command can do: print, leave, start over, look up sources, ask through the service. */
interface ChatActions {
  print(text: string): void;
  quit(): void;
  newSubject(): void;
  sourcesFor(text: string): Promise<void>;
  respond(run: (asker: Asker) => Promise<AskResult>, typed?: string): Promise<void>;
  asks: AskService;
  engine: Pick<Engine, 'articles'>;
  now(): Date;
}

/** A line starting with "/": read by the same parser as Slack's command text; never asked as a question. */
async function runCommand(text: string, chat: ChatActions): Promise<void> {
  const { print } = chat;
  const [name = '', ...rest] = text.slice(1).trim().split(/\s+/);
  const keyword = name.toLowerCase();
  if (keyword === 'quit' || keyword === 'exit') {
    if (rest.length === 0) return chat.quit();
    return print(`/${keyword} takes nothing after it.\n${COMMANDS}`);
  }
  if (keyword === 'new' && rest.length === 0) {
    chat.newSubject();
    return print('Starting over: the next question begins a new subject.');
  }
  if (keyword === 'sources-for') return chat.sourcesFor(rest.join(' '));
  let request: ReturnType<typeof parseCommandText>;
  try {
    request = parseCommandText(text.slice(1), chat.now());
  } catch (error) {
    if (!isPeacedeskError(error)) throw error;
    return print(error.message);
  }
  const typed = text.slice(1).trim();
  switch (request.kind) {
    case 'help':
      return print(CHAT_HELP);
    case 'sources':
      for (const article of chat.engine.articles()) print(`- ${sourceLine(article)} [${article.docId}]`);
      if (chat.engine.articles().length === 0) print('No articles are loaded.');
      return;
    case 'usage':
      return print(request.message);
    case 'compare':
      return chat.respond((asker) => chat.asks.compare(asker, request.topic), typed);
    case 'timeline':
      return chat.respond(
        (asker) =>
          chat.asks.timeline(asker, {
            ...(request.topic && { topic: request.topic }),
            ...(request.since && { since: request.since }),
          }),
        typed,
      );
    case 'question':
      // Never asked as a question: a command with extra words, or a command that does not exist.
      return print(
        CHAT_COMMANDS.has(keyword)
          ? `/${keyword} takes nothing after it.\n${COMMANDS}`
          : `There is no command "/${name}". Type a question without the "/", or use one of these.\n${COMMANDS}`,
      );
  }
}

/** The chat's state between lines: the readline interface, whether it is closed or being left, the conversation. */
interface ChatState {
  rl: Interface | undefined;
  // `closed`: input ended or the chat was left; `leaving`: the user asked to leave (/quit, Ctrl-C),
  // so lines still queued are dropped (when input merely ends, they are still answered).
  closed: boolean;
  leaving: boolean;
  // True while the prompt is on screen waiting for input (not while an answer is being written).
  prompting: boolean;
  // Lines are handled one at a time, in order, even when pasted or piped in faster than answered.
  queue: Promise<void>;
  // The chat is one conversation: what follow-ups build on (src/threads); `/new` forgets it.
  context: ThreadContext | null;
}

/** Ask through the ask service (which records it) and print the answer or why there is none. */
function createResponder(
  options: TerminalChatOptions,
  clock: Clock,
  print: (text: string) => void,
): ChatActions['respond'] {
  // Numbers this chat's answers, for their audit records' answer ids.
  let asked = 0;
  return async (run, typed) => {
    const userId = options.userId ?? 'local';
    const answerId = `terminal:${clock.now().getTime()}:${++asked}`;
    // As Slack does: a command as typed ("compare nato"), a question as the engine read it.
    const result = await run({ platform: 'terminal', userId, answerId, asked: typed });
    if (result.ok) return print(renderText(result.answer, emphasise, { groupSources: true }));
    if (result.reason === 'rate-limited') return print(rateLimitMessage(result.retryAfterMs / 1000));
    print(result.reason === 'invalid' ? result.message : result.text);
  };
}

/** `/sources-for <text>`: the passages bearing on each sentence, or why there are none. */
function createSourcesFor(engine: Engine, print: (text: string) => void): ChatActions['sourcesFor'] {
  return async (text) => {
    if (text.trim() === '') return print('Paste the text after the command: /sources-for <text>.');
    try {
      print(renderSourcesText(await findSources(engine, text)));
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      print(error.message);
    }
  };
}

/** Run `write` above the prompt, then draw the prompt again (with what was being typed, on a terminal). */
function printAbove(state: ChatState, output: Writable, terminal: boolean, write: () => void): void {
  const { rl } = state;
  if (!rl || state.closed || !state.prompting) {
    write();
    return;
  }
  if (terminal) {
    // Clear the prompt line, print, then draw the prompt again with what was being typed.
    clearLine(output, 0);
    cursorTo(output, 0);
    write();
    rl.prompt(true);
  } else {
    output.write('\n');
    write();
    rl.prompt();
  }
}

/** Wire the interface: each line to `onLine`, Ctrl-C to clearing the line or leaving, close to `onClose`. */
function listen(
  state: ChatState,
  rl: Interface,
  options: TerminalChatOptions,
  handlers: { onLine(line: string): void; quit(): void },
): void {
  rl.on('line', handlers.onLine);
  // Ctrl-C (a real terminal only): clear a half-typed line; on an empty line, leave.
  rl.on('SIGINT', () => {
    if (rl.line === '') return handlers.quit();
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
  });
  rl.on('close', () => {
    state.closed = true;
    state.prompting = false;
    options.output.write('\n');
    // Let an answer being written finish before the services stop.
    void state.queue.then(() => options.onClose?.());
  });
}

/** Each line, queued in order: a command, or a question in the chat's conversation; a failure apologises. */
function createLineHandler(
  state: ChatState,
  actions: ChatActions,
  parts: { asks: AskService; logger: Logger; output: Writable; prompt(): void },
): (line: string) => void {
  const handle = async (line: string) => {
    const text = line.trim();
    if (text === '') return;
    if (text.startsWith('/')) return runCommand(text, actions);
    return actions.respond(async (asker) => {
      const result = await parts.asks.ask(asker, text, {
        threadId: null,
        save: 'known',
        context: state.context,
      });
      if (result.ok && result.context) state.context = result.context;
      return result;
    });
  };
  return (line) => {
    state.prompting = false;
    state.queue = state.queue.then(async () => {
      if (state.leaving) return;
      try {
        await handle(line);
      } catch (error) {
        parts.logger.error('terminal: answering failed', { error });
        actions.print(APOLOGY_MESSAGE);
      }
      parts.output.write('\n');
      parts.prompt();
    });
  };
}

/** Show the prompt, unless the chat has closed. */
function showPrompt(state: ChatState): void {
  if (state.closed || !state.rl) return;
  state.prompting = true;
  state.rl.prompt();
}

/** Leave at the user's request: lines still queued are dropped. */
function leave(state: ChatState): void {
  state.leaving = true;
  state.prompting = false;
  state.rl?.close();
}

/** A local chat over the corpus in the terminal: the no-credentials face of `npm start`. */
export function createTerminalChat(options: TerminalChatOptions): TerminalChat {
  const { engine, input, output } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const terminal = options.terminal ?? false;
  const asks = createAskService({
    engine,
    audit: options.audit,
    clock,
    logger,
    asksPerMinute: { terminal: options.asksPerMinute ?? 30 },
  });
  const state: ChatState = {
    rl: undefined,
    closed: false,
    leaving: false,
    prompting: false,
    queue: Promise.resolve(),
    context: null,
  };
  const print = createPrinter(options);
  const prompt = () => showPrompt(state);
  const quit = () => leave(state);
  const actions: ChatActions = {
    print,
    quit,
    newSubject: () => {
      state.context = null;
    },
    sourcesFor: createSourcesFor(engine, print),
    respond: createResponder(options, clock, print),
    asks,
    engine,
    now: () => clock.now(),
  };

  const onLine = createLineHandler(state, actions, { asks, logger, output, prompt });

  return {
    name: 'terminal',
    printAbove: (write) => printAbove(state, output, terminal, write),
    async start() {
      const rl = createInterface({ input, output, prompt: PROMPT, terminal });
      state.rl = rl;
      for (const line of options.banner ?? []) print(line);
      print(CHAT_HELP);
      output.write('\n');
      listen(state, rl, options, { onLine, quit });
      prompt();
    },
    async stop() {
      quit();
      await state.queue;
    },
  };
}
