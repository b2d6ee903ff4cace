import { createEngine } from '../src/engine/engine.ts';
import { makeDocument } from '../test/helpers.ts';
const filler = Array.from({ length: 8 }, (_, i) => `Filler sentence number ${i} mentions nothing relevant.`);
const e = createEngine([makeDocument('a', ['The two sides held talks in Vienna in March 2021 after a long pause.', 'During those talks, the rebels called for a border commission.', ...filler].join(' '))]);
const q='What happened at the talks in Vienna in 2021?';
for (const s of e.explain(q).slice(0,4)) console.log(s.score.toFixed(3), s.coverage.toFixed(2), s.own, s.passage.sentence, s.passage.text);
console.log(e.answer(q).citations.map(c=>c.snippet));
