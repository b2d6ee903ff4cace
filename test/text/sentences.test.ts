import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.ts';

const texts = (body: string) => splitSentences(body).map((s) => s.text);

describe('splitSentences', () => {
  it.each([
    ["Russia's chief military officer, Gen. Valery Gerasimov, announced it. Kyiv denied it."],
    ['The U.N. Security Council could recognise a deal. Britain agreed.'],
    ['Putin met U.S. President Donald Trump in Alaska. They talked.'],
    ['Dr. Charap and Mr. Witkoff spoke. Ms. Stent did not.'],
    ['The talks began on Jan. 5 in Riyadh. They ended on Feb. 2.'],
    ['J. Smith said so. Others disagreed.'],
  ])('keeps abbreviations inside their sentence: %s', (body) => {
    const out = texts(body);
    expect(out).toHaveLength(2);
    expect(out.join(' ')).toBe(body);
  });

  it('does not split where a "!" or "?" has no space after it', () => {
    expect(texts('Organisers wrote <!channel> to everyone. Then they left.')).toEqual([
      'Organisers wrote <!channel> to everyone.',
      'Then they left.',
    ]);
  });

  it('ends a sentence at a dotted abbreviation when a new sentence starts', () => {
    expect(texts('Sanctions came from the U.S. The EU followed.')).toEqual([
      'Sanctions came from the U.S.',
      'The EU followed.',
    ]);
  });

  it('keeps a quotation of several sentences together, with its attribution', () => {
    const body = '"It is impossible to win. There is no chance," Trump wrote. He added more.';
    expect(texts(body)).toEqual([
      '"It is impossible to win. There is no chance," Trump wrote.',
      'He added more.',
    ]);
  });

  it('splits list items, drops their markers, and records headings', () => {
    const body = [
      'The framework includes:',
      '',
      '## Major Concessions',
      '',
      '- Territorial Cession: Under the draft, Russia would gain Donbas. This would grant Moscow territory.',
      '- NATO Expansion Freeze: The proposal would bar Ukraine.',
      '1. Ukraine withdraws troops;',
      '2. Putin and Trump agree on a plan.',
    ].join('\n');
    const sentences = splitSentences(body);
    expect(sentences.map((s) => s.text)).toEqual([
      'The framework includes:',
      'Territorial Cession: Under the draft, Russia would gain Donbas.',
      'This would grant Moscow territory.',
      'NATO Expansion Freeze: The proposal would bar Ukraine.',
      'Ukraine withdraws troops;',
      'Putin and Trump agree on a plan.',
    ]);
    expect(sentences[1]).toMatchObject({ heading: 'Major Concessions', index: 1 });
    expect(sentences[1]!.block).toBe(sentences[2]!.block);
    expect(sentences[3]!.block).not.toBe(sentences[2]!.block);
  });

  it('records offsets so every sentence is the exact slice of the body', () => {
    const body = '  Indented start. Second one.\n\nNew paragraph\ncontinues here. Done.';
    for (const s of splitSentences(body)) expect(body.slice(s.start, s.end)).toBe(s.text);
  });
});
