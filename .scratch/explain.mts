import { loadCorpus } from '../src/corpus/load-corpus.ts';
import { createEngine } from '../src/engine/engine.ts';
import { analyzeQuestion } from '../src/engine/question.ts';
import { createShippedLexicon } from '../src/text/lexicon.ts';
const { documents } = await loadCorpus('corpus');
const engine = createEngine(documents);
const lex = createShippedLexicon();
for (const q of process.argv.slice(2)) {
  console.log('\n### ' + q);
  const a = analyzeQuestion(q, { lexicon: lex });
  console.log('kind', a.kind);
  for (const t of a.terms) console.log(`  ${t.term} sal=${t.salience} idf=${engine.idf(t.term).toFixed(2)} common=${t.common} name=${t.name} syn=[${t.synonyms}] rel=[${t.related}]`);
  const ans = engine.answer(q);
  console.log('answered', ans.answered);
  for (const s of engine.explain(q).slice(0, 6))
    console.log(`  ${s.score.toFixed(3)} cov=${s.coverage.toFixed(2)} ret=${s.retrieval.toFixed(2)} prox=${s.proximity.toFixed(2)} kind=${s.kindMatch} direct=${s.direct} [${s.passage.docId.slice(0,16)}#${s.passage.sentence}] ${s.passage.text.slice(0, 110)}`);
}
