import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/cli/wrap-text.ts';

describe('wrapText', () => {
  it('wraps at spaces to the width, keeping the indentation', () => {
    const wrapped = wrapText('  one two three four five six seven eight nine ten eleven twelve', 24);
    expect(wrapped.split('\n')).toEqual([
      '  one two three four',
      '  five six seven eight',
      '  nine ten eleven twelve',
    ]);
  });

  it('keeps a two-column row (a name, two or more spaces, its description) in its columns', () => {
    const row = `  /sources-for <text>                the passages that bear on each sentence of a pasted text`;
    const wrapped = wrapText(row, 60).split('\n');
    expect(wrapped).toEqual([
      '  /sources-for <text>                the passages that bear',
      '                                     on each sentence of a',
      '                                     pasted text',
    ]);
    // Too narrow for the description's column: wrapped as plain words, nothing lost.
    expect(wrapText(row, 40).replace(/\s+/g, ' ').trim()).toBe(row.replace(/\s+/g, ' ').trim());
    expect(
      Math.max(
        ...wrapText(row, 40)
          .split('\n')
          .map((line) => line.length),
      ),
    ).toBeLessThanOrEqual(40);
  });

  it('wraps a quote holding double spaces as plain words, never as two columns', () => {
    const quote = '“The talks resumed.  Both sides sent envoys to Geneva on Monday after a long delay.”';
    expect(wrapText(quote, 40).split('\n')).toEqual([
      '“The talks resumed. Both sides sent',
      'envoys to Geneva on Monday after a long',
      'delay.”',
    ]);
  });

  it('leaves a line that fits, and any text when the width is unknown', () => {
    expect(wrapText('  /help                              this help', 80)).toBe(
      '  /help                              this help',
    );
    expect(wrapText('a '.repeat(100), undefined)).toBe('a '.repeat(100));
  });
});
