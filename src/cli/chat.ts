import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../engine/engine.ts';
import { renderText, sourceLine } from '../engine/render-text.ts';
import { isPeacedeskError } from '../errors.ts';
import type { Service } from '../service.ts';

/** Options of {@link createTerminalChat}. */
export interface TerminalChatOptions {
  engine: Engine;
  input: Readable;
  output: Writable;
  /** Lines printed before the first prompt (which adapters are off, skipped files). */
  banner?: string[];
  /** Bold matched terms with ANSI escapes (only on a real terminal). */
  color?: boolean;
  /** Called when the user leaves (Ctrl-D, Ctrl-C, /quit) or input ends. */
  onClose?: () => void;
}

const HELP = `Ask a question about the Russia–Ukraine peace proposals, e.g.
  What does the US draft say about NATO?
  How much of Donbas does Russia hold?
Commands: /sources lists the articles, /help shows this, /quit (or Ctrl-D) leaves.`;

/** A local chat over the corpus in the terminal: the no-credentials face of `npm start`. */
export function createTerminalChat(options: TerminalChatOptions): Service {
  const { engine, input, output } = options;
  const bold = options.color ? (text: string) => `\u001b[1m${text}\u001b[22m` : (text: string) => text;
  let rl: ReturnType<typeof createInterface> | undefined;
  const print = (text: string) => output.write(`${text}\n`);

  const handle = async (line: string) => {
    const question = line.trim();
    if (question === '') return;
    if (question === '/quit' || question === '/exit') {
      rl?.close();
      return;
    }
    if (question === '/help') return print(HELP);
    if (question === '/sources') {
      for (const article of engine.articles()) print(`- ${sourceLine(article)} [${article.docId}]`);
      return;
    }
    try {
      const answer = await engine.answerAsync(question);
      print(renderText(answer, bold));
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      print(error.message);
    }
  };

  return {
    name: 'terminal',
    async start() {
      rl = createInterface({ input, output, prompt: '\npeacedesk> ', terminal: options.color ?? false });
      for (const line of options.banner ?? []) print(line);
      print(HELP);
      // One line at a time, in order: an answer waits for the question's embedding.
      let turn = Promise.resolve();
      rl.on('line', (line) => {
        turn = turn
          .then(() => handle(line))
          .catch((error: unknown) => {
            print(`Sorry, something went wrong answering that (${(error as Error).message}).`);
          })
          .then(() => rl?.prompt());
      });
      rl.on('SIGINT', () => rl?.close());
      rl.on('close', () => {
        print('');
        options.onClose?.();
      });
      rl.prompt();
    },
    async stop() {
      rl?.close();
    },
  };
}
