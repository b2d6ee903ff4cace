import { PassThrough, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTerminalChat } from '../../../adapters/terminal/chat.ts';
import type { Engine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { shippedEngine } from '../../helpers.ts';

/** A chat on fake streams; `ask` types a line and returns what it printed once answered. */
async function startChat(engine: Engine) {
  const input = new PassThrough();
  let printed = '';
  const output = new Writable({
    write(chunk, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  const chat = createTerminalChat({
    engine,
    input,
    output,
    clock: createManualClock('2026-02-01T10:00:00Z'),
  });
  await chat.start();
  return {
    chat,
    async ask(line: string) {
      const before = printed.length;
      input.write(`${line}\n`);
      // Answered when the next prompt is written.
      while (!printed.slice(before).includes('peacedesk> ')) await new Promise((r) => setTimeout(r, 5));
      return printed.slice(before);
    },
  };
}

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

describe('terminal chat conversation', () => {
  it('a follow-up inherits the last question; a new subject and /new start over', async () => {
    const { chat, ask } = await startChat(engine);
    const first = await ask('What does the US draft say about territory?');
    expect(first).not.toContain('Following on from');
    const followUp = await ask('what about NATO?');
    expect(followUp).toContain('Following on from: What does the US draft say about territory?');
    expect(followUp).toContain('NATO');
    expect(followUp).not.toMatch(/Reuters, 2025-08-21/);
    const fresh = await ask('What did Putin demand at the Alaska summit?');
    expect(fresh).not.toContain('Following on from');
    expect(await ask('/new')).toContain('Starting over');
    expect(await ask('what about NATO?')).not.toContain('Following on from');
    await chat.stop();
  });

  it('/sources-for shows the passages per sentence of a pasted text, and refuses an empty one', async () => {
    const { chat, ask } = await startChat(engine);
    const out = await ask(
      "/sources-for The US draft would cap Ukraine's army at 800,000 troops. Bananas are yellow.",
    );
    expect(out).toContain("1. Claim: “The US draft would cap Ukraine's army at 800,000 troops.”");
    expect(out).toContain('Differs: the article says 880,000 and 600,000, the message 800,000.');
    expect(out).toContain('2. Claim: “Bananas are yellow.”');
    expect(out).toContain('No article bears on this.');
    expect(await ask('/sources-for')).toContain('Paste the text after the command');
    await chat.stop();
  });
});
