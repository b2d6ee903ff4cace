import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answering/engine.ts';
import { createPassageIndex } from '../../src/search-index/passage-index.ts';
import { analyzeTerms } from '../../src/text/analyze.ts';
import taxonomy from '../../src/topics/taxonomy.json' with { type: 'json' };
import { findTopic, listTopics, tagTopics, topicScores, topicStrength } from '../../src/topics/topics.ts';
import { shippedCorpus, shippedEngine } from '../helpers.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

/** The topics of the passage of `docId` that contains `fragment`. */
const topicsOf = (docId: string, fragment: string) => {
  const passage = engine.passages(docId).find((p) => p.text.includes(fragment));
  if (!passage) throw new Error(`no passage of ${docId} contains "${fragment}"`);
  return passage.topics;
};

describe('topic taxonomy', () => {
  it('has the ten issues, each with terms that analyse to something', () => {
    expect(listTopics().map((t) => t.id)).toEqual([
      'territory',
      'nato',
      'military-limits',
      'foreign-troops',
      'security-guarantees',
      'sanctions',
      'assets-reconstruction',
      'ceasefire',
      'recognition',
      'format',
    ]);
    for (const topic of taxonomy.topics) {
      for (const term of [...topic.strong, ...topic.weak, ...topic.aliases]) {
        expect(analyzeTerms(term).length, `${topic.id}: ${term}`).toBeGreaterThan(0);
      }
    }
  });

  it('needs one strong term or two different weak ones', () => {
    expect(tagTopics(new Set(analyzeTerms('Ukraine will never join NATO')))).toContain('nato');
    expect(tagTopics(new Set(analyzeTerms('They voted to join Russia')))).not.toContain('nato');
    expect(tagTopics(new Set(analyzeTerms('neutral peacekeeping forces')))).not.toContain('nato');
  });

  it.each([
    ['2025-11-20-us-draft-peace-plan', 'Territorial Cession', ['territory']],
    ['2025-11-20-us-draft-peace-plan', 'NATO Expansion Freeze', ['nato']],
    ['2025-11-20-us-draft-peace-plan', 'Military Reduction', ['military-limits']],
    ['2025-11-20-us-draft-peace-plan', 'Sanctions and G8', ['sanctions']],
    ['2025-11-20-us-draft-peace-plan', 'Reconstruction Funds', ['assets-reconstruction']],
    ['2025-08-21-putin-alaska-terms', 'Russia controls about 88%', ['territory']],
    [
      '2025-08-21-putin-alaska-terms',
      'no Western troops will be deployed',
      ['nato', 'military-limits', 'foreign-troops', 'security-guarantees'],
    ],
    ['2025-08-21-putin-alaska-terms', 'three-way Russia-Ukraine-U.S. deal', ['recognition', 'format']],
    [
      '2025-03-13-russia-demands-list',
      'whether he will agree to a 30-day ceasefire',
      ['ceasefire', 'format'],
    ],
    [
      '2026-01-28-us-donbas-precondition',
      'first trilateral talks in Abu Dhabi',
      ['territory', 'ceasefire', 'format'],
    ],
    ['2026-01-28-us-donbas-precondition', 'security framework was', ['security-guarantees']],
    ['2025-08-09-putin-two-stage-offer', 'front line is frozen', ['territory', 'ceasefire']],
  ])('tags %s "%s" with %j', (docId, fragment, topics) => {
    expect(topicsOf(docId, fragment)).toEqual(expect.arrayContaining(topics));
  });

  it('does not tag passages with topics they are not about', () => {
    expect(topicsOf('2025-08-21-putin-alaska-terms', 'Truth Social post')).toEqual([]);
    expect(topicsOf('2025-11-20-us-draft-peace-plan', 'Witkoff and Kirill Dmitriev')).toEqual([]);
    expect(topicsOf('2025-08-09-putin-two-stage-offer', 'front line is frozen')).not.toContain(
      'assets-reconstruction',
    );
  });

  it('finds the topic a user names', () => {
    expect(findTopic('NATO')?.id).toBe('nato');
    expect(findTopic('Compare the proposals on frozen assets')?.id).toBe('assets-reconstruction');
    expect(findTopic('How do they differ on territory?')?.id).toBe('territory');
    expect(findTopic('peacekeepers')?.id).toBe('foreign-troops');
    expect(findTopic('bananas')).toBeUndefined();
  });
});

describe('topicScores', () => {
  it('finds from postings alone the passages and strengths that reading every passage gives', async () => {
    const index = createPassageIndex();
    for (const document of await shippedCorpus()) index.upsert(document);
    const passages = [...index.documents()].flatMap((d) => index.passagesOf(d.id));
    for (const { id: topicId } of listTopics()) {
      const expected = new Map<string, number>();
      for (const passage of passages) {
        if (!tagTopics(passage.terms).includes(topicId)) continue;
        const { strong, weak } = topicStrength(passage.terms, topicId);
        expected.set(passage.id, strong * 2 + weak);
      }
      expect(topicScores(topicId, index.passagesWith)).toEqual(expected);
    }
  });
});
