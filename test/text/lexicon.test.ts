import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLexicon, createShippedLexicon, EMPTY_LEXICON, WordNetFile } from '../../src/text/lexicon.ts';
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

  it('lists the nouns whose commonest sense is a person, names of people among them', () => {
    const people = lexicon.nounsFiledUnder!('person');
    for (const word of ['king', 'director', 'envoy', 'aristotle', 'newton']) expect(people).toContain(word);
    // A place, a thing, a group, and a person only in a rarer sense ("washington" is a city first).
    for (const word of ['city', 'table', 'army', 'washington']) expect(people).not.toContain(word);
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

describe('WordNetFile', () => {
  it('finds bytes and reads text across page boundaries, as one whole buffer would', async () => {
    const text = 'abandon v 1\nabate v 2\nabdicate v 3\n';
    const { dir, cleanup } = await tempFolder({ 'index.verb': text });
    try {
      const whole = Buffer.from(text, 'latin1');
      for (const pageSize of [3, 4, 7, undefined]) {
        const file = new WordNetFile(join(dir, 'index.verb'), pageSize);
        expect(file.size).toBe(whole.length);
        for (let at = 0; at <= whole.length; at++) {
          expect(file.indexOf(10, at)).toBe(whole.indexOf(10, at));
          expect(file.lastIndexOf(10, at)).toBe(
            at === whole.length ? whole.lastIndexOf(10) : whole.lastIndexOf(10, at),
          );
        }
        expect(file.text(5, 30)).toBe(text.slice(5, 30));
        expect(file.text(0, whole.length)).toBe(text);
      }
    } finally {
      await cleanup();
    }
  });
});
