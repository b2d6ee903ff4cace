import { PassThrough, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTerminalChat, type TerminalChatOptions } from '../../../adapters/terminal/chat.ts';
import { createEngine, type Engine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { createMemoryStores } from '../../../src/store/memory-store.ts';
import { makeDocument, shippedEngine } from '../../helpers.ts';

/** A chat on fake streams: `type` sends raw input, `output()` is everything printed so far. */
async function startChat(engine: Engine, options: Partial<TerminalChatOptions> = {}) {
  const input = new PassThrough();
  let printed = '';
  const output = new Writable({
    write(chunk, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  const stores = createMemoryStores({ salt: 'salt' });
  let closed = 0;
  const chat = createTerminalChat({
    engine,
    input,
    output,
    audit: stores.audit,
    userId: 'local:reporter',
    clock: createManualClock('2026-02-01T10:00:00Z'),
    onClose: () => {
      closed++;
    },
    ...options,
  });
  await chat.start();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
  return {
    chat,
    records: stores.audit.records,
    output: () => printed,
    write: (text: string) => output.write(text),
    closed: () => closed,
    /** Type `text` (a raw keystroke string) and wait for the chat to handle it. */
    async type(text: string) {
      const before = printed.length;
      input.write(text);
      await settle();
      return printed.slice(before);
    },
    end: () => input.end(),
    input,
  };
}

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

describe('terminal chat', () => {
  it.each(['/quit', '/exit', '/QUIT'])(
    '%s leaves at once, without waiting for the input to end',
    async (command) => {
      const chat = await startChat(engine);
      await chat.type(`${command}\n`);
      expect(chat.closed()).toBe(1);
      // Anything typed afterwards is not answered (the chat is gone).
      await chat.type('How much of Donbas does Russia hold?\n');
      expect(chat.records).toEqual([]);
    },
  );

  it.each([
    ['/frobnicate', /There is no command "\/frobnicate"/],
    ['/sources extra', /\/sources takes nothing after it/],
    ['/help me', /\/help takes nothing after it/],
    ['/quit now', /\/quit takes nothing after it/],
  ])('never asks "%s" as a question: it says what the commands are', async (line, message) => {
    const chat = await startChat(engine);
    const out = await chat.type(`${line}\n`);
    expect(out).toMatch(message);
    expect(out).toMatch(/\/compare <topic>/);
    expect(out).not.toMatch(/The sources do not answer/);
    expect(chat.records).toEqual([]);
    expect(chat.closed()).toBe(0);
  });

  it('/HELP shows the help, which names compare, timeline and the other commands', async () => {
    const chat = await startChat(engine);
    const out = await chat.type('/HELP\n');
    for (const words of [
      '/compare <topic>',
      '/timeline [topic] [since <date>]',
      '/sources',
      '/quit',
      'Ctrl-C',
    ])
      expect(out).toContain(words);
    expect(chat.records).toEqual([]);
  });

  it('/compare and /timeline answer as in Slack, and are recorded as typed', async () => {
    const chat = await startChat(engine);
    expect(await chat.type('/compare nato\n')).toMatch(/^How the proposals compare on NATO/m);
    expect(await chat.type('/timeline nato since August 2025\n')).toMatch(
      /^Timeline on NATO and neutrality since 2025-08-01/m,
    );
    expect(await chat.type('/compare\n')).toMatch(/Say which topic to compare/);
    expect(await chat.type('/compare bananas\n')).toMatch(/bananas/);
    expect(await chat.type('/timeline since someday\n')).toMatch(/Could not read a date/);
    expect(chat.records.map((r) => r.question)).toEqual(['compare nato', 'timeline nato since August 2025']);
  });

  it('records every question in the audit log as platform "terminal", user id hashed', async () => {
    const chat = await startChat(engine);
    await chat.type('How much of Donbas does Russia hold?\n');
    await chat.type('What is the population of Brazil?\n');
    expect(chat.records).toHaveLength(2);
    expect(chat.records[0]).toMatchObject({
      platform: 'terminal',
      question: 'How much of Donbas does Russia hold?',
      answered: true,
    });
    expect(chat.records[0]!.userId).toMatch(/^[0-9a-f]{32}$/);
    expect(chat.records[1]!.userId).toBe(chat.records[0]!.userId);
    expect(chat.records[1]!.answered).toBe(false);
  });

  it('answers lines piped in faster than it answers, in order, then closes when input ends', async () => {
    const chat = await startChat(engine);
    await chat.type('How much of Donbas does Russia hold?\nWho is Yuri Ushakov?\n');
    chat.end();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(chat.records.map((r) => r.question)).toEqual([
      'How much of Donbas does Russia hold?',
      'Who is Yuri Ushakov?',
    ]);
    expect(chat.closed()).toBe(1);
  });

  it('wraps long lines to the terminal width at word boundaries', async () => {
    const chat = await startChat(engine, { columns: () => 40 });
    const out = await chat.type('How much of Donbas does Russia hold?\n');
    const lines = out.split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(40);
    // No word was cut: the quoted sentence reads the same with the line breaks made spaces again.
    expect(out.replace(/\s+/g, ' ')).toContain(
      'Russia controls about 88% of the Donbas and 73% of Zaporizhzhia and Kherson',
    );
  });

  it('keeps /help in its two columns on an 80-column terminal', async () => {
    const chat = await startChat(engine, { columns: () => 80 });
    const out = await chat.type('/help\n');
    expect(out).toContain(
      `  /sources-for <text>                the passages that bear on each sentence of\n${' '.repeat(37)}a pasted text\n`,
    );
    expect(out).toContain(
      `  /new                               start a new subject (follow-ups otherwise\n${' '.repeat(37)}`,
    );
    expect(Math.max(...out.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('bolds matched terms only with color on (main turns it off for NO_COLOR or a pipe)', async () => {
    const plain = await startChat(engine, { color: false });
    expect(await plain.type('How much of Donbas does Russia hold?\n')).not.toContain('\u001b');
    const colored = await startChat(engine, { color: true });
    expect(await colored.type('How much of Donbas does Russia hold?\n')).toContain(
      '\u001b[1mDonbas\u001b[22m',
    );
  });

  it('never prints control characters or escapes from article text', async () => {
    const document = makeDocument('escapes', 'Talks resumed in Geneva on Monday.', { title: 'Safe title' });
    // As if a file had slipped past loading: the output is cleaned again.
    const hostile = {
      ...document,
      title: 'Pwned\u001b]0;pwned\u0007 title\u001b[2J',
      source: 'Wire\u009b31m',
    };
    const chat = await startChat(createEngine([hostile]), { color: true });
    const out = await chat.type('Where did talks resume?\n');
    expect(out).toContain('Pwned title — Wire, 2025-01-01');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
    expect(out.replace(/\u001b\[(?:1|22)m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('prints the source line once when every citation comes from one article', async () => {
    const one = makeDocument(
      'one',
      'The ceasefire would begin in May. The ceasefire would be monitored by the OSCE. The ceasefire would last a year.',
      { title: 'Ceasefire plan', source: 'Wire' },
    );
    const other = makeDocument('other', 'Grain exports resumed from Odesa.');
    const chat = await startChat(createEngine([one, other]));
    const out = await chat.type('What would the ceasefire be?\n');
    expect(out.match(/\[\d\]/g)!.length).toBeGreaterThan(2);
    expect(out.match(/Ceasefire plan — Wire/g)).toHaveLength(1);
    expect(out).toMatch(/^\[1\] \[2\]( \[3\])? Ceasefire plan — Wire, 2025-01-01$/m);
  });
});

describe('terminal chat on a real terminal', () => {
  it('/quit leaves and lets go of the input (nothing resumes reading it, so the process can end)', async () => {
    const chat = await startChat(engine, { terminal: true });
    await chat.type('/quit\r');
    expect(chat.closed()).toBe(1);
    expect(chat.input.isPaused()).toBe(true);
    expect(chat.output()).not.toMatch(/peacedesk> \s*$/);
  });

  it('Ctrl-C clears a half-typed line; Ctrl-C on an empty line leaves', async () => {
    const chat = await startChat(engine, { terminal: true });
    await chat.type('How much of Don');
    await chat.type('\u0003');
    expect(chat.closed()).toBe(0);
    await chat.type('\r');
    expect(chat.records).toEqual([]);
    await chat.type('Who is Yuri Ushakov?\r');
    expect(chat.records.map((r) => r.question)).toEqual(['Who is Yuri Ushakov?']);
    await chat.type('\u0003');
    expect(chat.closed()).toBe(1);
  });

  it('prints a digest above the prompt and redraws the prompt with the half-typed line', async () => {
    const chat = await startChat(engine, { terminal: true });
    await chat.type('How much of');
    const before = chat.output().length;
    // What main hands over: the console publisher writing a digest.
    chat.chat.printAbove(() => chat.write('--- digest for channel C1 ---\nNew: a ceasefire plan\n---\n'));
    const drawn = chat.output().slice(before);
    expect(drawn.indexOf('--- digest')).toBeGreaterThan(-1);
    expect(drawn.indexOf('peacedesk> How much of')).toBeGreaterThan(drawn.indexOf('---\n'));
    // The prompt line was cleared, and the prompt drawn again with what was typed.
    expect(drawn).toContain('\u001b[2K');
    await chat.type(' Donbas does Russia hold?\r');
    expect(chat.records.map((r) => r.question)).toEqual(['How much of Donbas does Russia hold?']);
  });

  it('says how long to wait past CHAT_ASKS_PER_MINUTE, and records only what it answered', async () => {
    const chat = await startChat(engine, { asksPerMinute: 2 });
    await chat.type('What does the US draft say about NATO?\n');
    await chat.type('/compare nato\n');
    const refused = await chat.type('How much of Donbas does Russia hold?\n');
    expect(refused).toContain('You are asking quickly; please wait 60 seconds');
    expect(chat.records.map((r) => r.question)).toHaveLength(2);
    expect(chat.records[1]?.question).toBe('compare nato');
  });
});
