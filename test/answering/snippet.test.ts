import { describe, expect, it } from 'vitest';
import { leansOnPrevious } from '../../src/answering/snippet.ts';

describe('leansOnPrevious', () => {
  it.each([
    'He said the talks would resume.',
    'That agreement called for a neutral zone.',
    // A plural demonstrative before a noun points back to the previous sentence.
    'Kyiv rejected those terms as tantamount to surrender.',
    'While Washington rejected several of these terms, it kept talking.',
  ])('"%s" needs the sentence before it', (sentence) => {
    expect(leansOnPrevious(sentence)).toBe(true);
  });

  it.each([
    'Russia has presented a set of demands to the United States.',
    'Aid will go to those who lost their homes.',
    'The talks were held in Vienna.',
  ])('"%s" stands alone', (sentence) => {
    expect(leansOnPrevious(sentence)).toBe(false);
  });
});
