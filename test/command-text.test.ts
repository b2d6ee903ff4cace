import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../src/command-text.ts';
import { isPeacedeskError } from '../src/errors.ts';

const today = new Date('2026-01-15T10:00:00Z');

describe('parseCommandText', () => {
  it('reads help, sources and questions', () => {
    expect(parseCommandText('', today)).toEqual({ kind: 'help' });
    expect(parseCommandText(' HELP ', today)).toEqual({ kind: 'help' });
    expect(parseCommandText('sources', today)).toEqual({ kind: 'sources' });
    expect(parseCommandText('sources of the draft?', today)).toEqual({
      kind: 'question',
      question: 'sources of the draft?',
    });
  });

  it('reads compare with its topic, and asks for one when it is missing', () => {
    expect(parseCommandText('Compare the proposals on NATO', today)).toEqual({
      kind: 'compare',
      topic: 'the proposals on NATO',
    });
    expect(parseCommandText('compare', today)).toMatchObject({ kind: 'usage' });
  });

  it('reads timeline with an optional topic and an optional since date', () => {
    expect(parseCommandText('timeline', today)).toEqual({ kind: 'timeline' });
    expect(parseCommandText('timeline nato', today)).toEqual({ kind: 'timeline', topic: 'nato' });
    expect(parseCommandText('timeline nato since August 2025', today)).toEqual({
      kind: 'timeline',
      topic: 'nato',
      since: '2025-08-01',
    });
    // A month without a year is its latest start not after today.
    expect(parseCommandText('timeline since August', today)).toEqual({
      kind: 'timeline',
      since: '2025-08-01',
    });
    expect(parseCommandText('timeline front lines since 2025-09-03', today)).toEqual({
      kind: 'timeline',
      topic: 'front lines',
      since: '2025-09-03',
    });
  });

  it('says what to write when the date cannot be read, and rejects dates that do not exist', () => {
    expect(parseCommandText('timeline since', today)).toMatchObject({ kind: 'usage' });
    expect(parseCommandText('timeline nato since soon', today)).toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('"since soon"'),
    });
    let thrown: unknown;
    try {
      parseCommandText('timeline since 2025-02-30', today);
    } catch (error) {
      thrown = error;
    }
    expect(isPeacedeskError(thrown, 'invalid_date')).toBe(true);
  });
});
