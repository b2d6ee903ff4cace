import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../../adapters/discord/command.ts';
import { allCommands } from '../../../adapters/discord/commands/index.ts';
import { createSuggester } from '../../../adapters/discord/suggest.ts';
import { createEngine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { createRateLimiter } from '../../../src/conversation/rate-limit.ts';
import { makeDocument } from '../../helpers.ts';
import { COMMAND_NAMES } from './fixtures.ts';

describe('loadCommands', () => {
  it('accepts the shipped commands, one per name', () => {
    expect([...loadCommands(allCommands).keys()]).toEqual([...COMMAND_NAMES]);
  });

  it('rejects a malformed or duplicate command, naming the problem', () => {
    expect(() =>
      loadCommands([{ data: { name: 'Ask Me', description: 'x' }, execute: async () => {} }]),
    ).toThrow(/command #0 is invalid[\s\S]*lower-case/);
    expect(() => loadCommands([{ data: { name: 'ask', description: 'x' } }])).toThrow(/execute/);
    expect(() => loadCommands([allCommands[0], allCommands[0]])).toThrow(/duplicate command ask/);
  });
});

describe('createRateLimiter', () => {
  it('allows `limit` per user per minute and says when the next one is allowed', () => {
    const clock = createManualClock('2025-01-01T00:00:00Z');
    const limiter = createRateLimiter({ limit: 2, clock });
    expect(limiter.take('a')).toEqual({ allowed: true });
    clock.advance(10_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 50_000 });
    expect(limiter.take('b')).toEqual({ allowed: true });
    clock.advance(50_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
  });
});

describe('createSuggester', () => {
  const doc = (id: string, body: string, title: string) => makeDocument(id, body, { title });

  it('completes the last word from the corpus, keeps what was typed first, at most 25', () => {
    const words = Array.from(
      { length: 40 },
      (_, i) => `sanction${String.fromCharCode(97 + (i % 26))}${i}`,
    ).join(' ');
    const engine = createEngine([
      doc(
        'a',
        `Sanctions relief was offered. Sanctions stay. Sanctions go. ${words}.`,
        'Sanctions and relief',
      ),
    ]);
    const suggest = createSuggester(engine);
    const out = suggest('what about sanc');
    expect(out[0]).toBe('what about sanc');
    expect(out).toContain('what about Sanctions');
    expect(out).toContain('Sanctions and relief');
    expect(out.length).toBe(25);
    expect(suggest('')).toEqual(['Sanctions and relief']);
    expect(suggest('x'.repeat(300))[0]!.length).toBe(100);
  });

  it('follows corpus changes', () => {
    const engine = createEngine([doc('a', 'Ceasefire talks began.', 'Talks')]);
    const suggest = createSuggester(engine);
    expect(suggest('refe')).toEqual(['refe']);
    engine.upsert(doc('b', 'A referendum was proposed.', 'Referendum'));
    expect(suggest('refe')).toContain('referendum');
  });
});
