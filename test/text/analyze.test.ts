import { describe, expect, it } from 'vitest';
import aliasData from '../../src/text/aliases.json' with { type: 'json' };
import { analyze, analyzeTerms } from '../../src/text/analyze.ts';

describe('analyze', () => {
  it.each([
    ['Donbas', 'Donbass'],
    ['Luhansk', 'Lugansk'],
    ['Kyiv', 'Kiev'],
    ['Zelenskyy', 'Zelensky'],
    ['Zelenskyy', 'Zelenskiy'],
    ['Zaporizhzhia', 'Zaporozhye'],
    ['U.S.', 'US'],
    ['U.S.', 'United States'],
    ['U.S.', 'America'],
    ['U.N.', 'United Nations'],
    ['G8', 'Group of 8'],
    ['Vladimir Putin', 'Putin'],
  ])('%s and %s are the same term', (a, b) => {
    expect(analyzeTerms(a)).toEqual(analyzeTerms(b));
    expect(analyzeTerms(a)).toHaveLength(1);
  });

  it('every alias in aliases.json resolves to its canonical term', () => {
    for (const [canonical, variants] of Object.entries(aliasData.aliases)) {
      for (const variant of variants) expect(analyzeTerms(variant), variant).toEqual([canonical]);
    }
    for (const [canonical, variants] of Object.entries(aliasData.caseSensitive)) {
      for (const variant of variants) expect(analyzeTerms(variant), variant).toEqual([canonical]);
    }
  });

  it('tells the pronoun "us" from the country "US"', () => {
    expect(analyzeTerms('Tell us about it')).toEqual([]);
    expect(analyzeTerms('US troops')).toEqual(['usa', 'troop']);
  });

  it('normalises curly quotes, dashes and case, stems, and drops stop words', () => {
    expect(analyzeTerms('Ukraine’s NEGOTIATIONS—and the negotiating')).toEqual([
      'ukrain',
      'negoti',
      'negoti',
    ]);
  });

  it('keeps numbers whole, without thousands separators', () => {
    expect(analyzeTerms('880,000 troops, 14% and $100 billion')).toEqual([
      '880000',
      'troop',
      '14',
      '100',
      'billion',
    ]);
  });

  it('gives spans into the original text, phrases included', () => {
    const text = 'The United States and Zelenskiy’s team';
    expect(analyze(text).map((t) => text.slice(t.start, t.end))).toEqual([
      'United States',
      'Zelenskiy’s',
      'team',
    ]);
  });
});
