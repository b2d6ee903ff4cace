import { loadCorpus } from '../src/corpus/load-corpus.ts';
import { createEngine } from '../src/engine/engine.ts';
const { documents } = await loadCorpus('corpus');
const on = createEngine(documents);
const off = createEngine(documents, { ranking: { declineUnbridged: false } as any });
for (const q of process.argv.slice(2)) {
  const a = on.answer(q), b = off.answer(q);
  console.log(`${a.answered ? 'A' : '-'}${b.answered ? 'A' : '-'} ${q} | ${a.citations[0]?.snippet.slice(0, 90) ?? ''}`);
}
