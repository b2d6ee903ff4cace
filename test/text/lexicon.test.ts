import { describe, expect, it } from 'vitest';
import { createLexicon, createShippedLexicon, EMPTY_LEXICON } from '../../src/text/lexicon.ts';
import { tempFolder } from '../helpers.ts';

describe('createShippedLexicon', () => {
  const lexicon = createShippedLexicon();

  it('ranks everyday words above rare ones, and knows no made-up word', () => {
    expect(lexicon.frequencyRank('the')!).toBeLessThan(10);
    expect(lexicon.frequencyRank('soldiers')!).toBeLessThan(lexicon.frequencyRank('sourdough')!);
    expect(lexicon.frequencyRank('qzxvbn')).toBeUndefined();
  });

  it('finds WordNet synonyms and derived forms of inflected words', () => {
    expect(lexicon.synonyms('talks')).toContain('negotiation');
    expect(lexicon.synonyms('invade')).toContain('invasion');
    expect(lexicon.synonyms('qzxvbn')).toEqual([]);
  });

  it('looks up two-word phrases as WordNet lemmas, the first word inflected or not', () => {
    expect(lexicon.synonyms('turn down')).toContain('reject');
    expect(lexicon.synonyms('turned down')).toContain('reject');
    expect(lexicon.synonyms('turn table')).toEqual([]);
  });

  it("lists a word's multi-word synonyms apart, and its base forms", () => {
    expect(lexicon.phrases('require')).toContain('call for');
    expect(lexicon.synonyms('require')).not.toContain('call for');
    expect(lexicon.lemmas('focused')).toContain('focus');
    expect(lexicon.lemmas('qzxvbn')).toEqual([]);
  });
});

describe('createLexicon', () => {
  it('reads a tiny WordNet folder by byte offset', async () => {
    const data = '00000000 00 n 02 truce 0 armistice 0 000 | a pause in fighting\n';
    const { dir, cleanup } = await tempFolder({
      'index.noun': '  licence line\narmistice n 1 0 1 0 00000000\ntruce n 1 0 1 0 00000000\n',
      'data.noun': data,
      'index.verb': 'call_for v 1 0 1 0 00000000\ndemand v 1 0 1 0 00000000\n',
      'data.verb': '00000000 00 v 02 demand 0 call_for 0 000 | require as useful\n',
      'index.adj': '',
      'data.adj': '',
    });
    try {
      const lexicon = createLexicon({ wordnetDir: dir, frequencies: () => ['the', 'truce'] });
      expect(lexicon.synonyms('truces')).toEqual(['armistice']);
      expect(lexicon.synonyms('peace')).toEqual([]);
      expect(lexicon.frequencyRank('Truce')).toBe(2);
      expect(lexicon.synonyms('called for')).toEqual(['demand']);
      expect(lexicon.phrases('demands')).toEqual(['call for']);
      expect(lexicon.lemmas('demanded')).toEqual(['demand']);
    } finally {
      await cleanup();
    }
  });

  it('knows nothing without its resources', () => {
    expect(createLexicon({}).synonyms('truce')).toEqual([]);
    expect(EMPTY_LEXICON.frequencyRank('the')).toBeUndefined();
    expect(createLexicon({}).phrases('require')).toEqual([]);
    expect(createLexicon({}).lemmas('focused')).toEqual([]);
  });
});
