import { readFileSync } from 'node:fs';
import { loadCorpus } from '../src/corpus/load-corpus.ts';
import { createEngine } from '../src/engine/engine.ts';
import { analyzeQuestion } from '../src/engine/question.ts';
import { createShippedLexicon } from '../src/text/lexicon.ts';
const { documents } = await loadCorpus('corpus');
const engine = createEngine(documents);
const lex = createShippedLexicon();
const set = JSON.parse(readFileSync('eval/questions.json', 'utf8'));
const rows: string[] = [];
const qs = [...set.inScope.map((x: any) => ['IN', x.q]), ...set.outOfScope.map((x: any) => ['OFF', typeof x === 'string' ? x : x.q])];
for (const [k, q] of qs) {
  const a = analyzeQuestion(q, { lexicon: lex });
  const top = engine.explain(q)[0];
  const ans = engine.answer(q).answered;
  const content = a.terms.filter((t) => t.salience === 1);
  const concepts = new Set(content.map((t) => t.concept)).size;
  const known = (t: any) => engine.idf(t.term) < 5.3 || t.forms.some((f: string) => engine.idf(f) < 5.3) || t.synonyms.some((s: string) => engine.idf(s) < 5.3) ;
  const unb = content.filter((t) => !t.name && !known(t)).map((t) => t.surface);
  const unbRel = content.filter((t) => !t.name && !known(t) && !t.related.some((s: string) => engine.idf(s) < 5.3)).map((t) => t.surface);
  rows.push(`${k.padEnd(3)} ${ans ? 'A' : '-'} cov=${top?.coverage.toFixed(2)} dir=${top?.direct}/${concepts} unb=${unb.length} unbNoRel=${unbRel.length} [${unb.join(',')}] ${q}`);
}
console.log(rows.join('\n'));
