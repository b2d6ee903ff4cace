import { createShippedLexicon } from '../src/text/lexicon.ts';
const l = createShippedLexicon();
for (const w of process.argv.slice(2)) console.log(w, '| syn:', l.synonyms(w).join(','), '| phr:', l.phrases(w).join(','), '| lem:', l.lemmas(w).join(','));
