import { userInfo } from 'node:os';
import type { AdapterDefinition } from '../../src/adapter.ts';
import { createConsolePublisher, stripControlCharacters } from '../../src/messages/index.ts';
import { createTerminalChat } from './chat.ts';
import { type TerminalConfig, terminalConfigSchema } from './config.ts';

/** A stable id for whoever runs the terminal chat (the audit log keeps only a salted hash of it). */
function localUserId(): string {
  try {
    return `local:${userInfo().username}`;
  } catch {
    return 'local';
  }
}

/** The terminal chat: what `npm start` opens when no other adapter is configured. */
export const terminalAdapter: AdapterDefinition<TerminalConfig> = {
  name: 'terminal',
  config: terminalConfigSchema,
  kind: 'console',
  describe: () => 'Terminal chat: on when no other adapter is configured',
  async create(config, context) {
    const { stdio } = context;
    const chat = createTerminalChat({
      engine: context.engine,
      input: stdio.input,
      output: stdio.output,
      terminal: stdio.isTerminal,
      color: stdio.color,
      columns: stdio.columns,
      audit: context.stores.audit,
      asksPerMinute: config.asksPerMinute,
      userId: localUserId(),
      logger: context.logger,
      clock: context.clock,
      banner: [...context.setupLines, ''],
      onClose: context.requestStop,
    });
    // A digest posted to the chat (a preview, or a test of the contract) is printed above the prompt.
    const printer = createConsolePublisher((text) =>
      chat.printAbove(() => stdio.output.write(stripControlCharacters(text))),
    );
    return {
      name: chat.name,
      platform: 'terminal',
      publisher: { platform: 'terminal', publish: (channelId, digest) => printer.publish(channelId, digest) },
      start: () => chat.start(),
      stop: () => chat.stop(),
      printAbove: (write) => chat.printAbove(write),
    };
  },
};
