/**
 * Deterministic synthetic corpus for the benchmark: articles of ~600 words whose words follow a
 * Zipf-like distribution over a realistic vocabulary (function words, general English, the
 * domain's names and terms, and a long tail of rare words), with per-article topic words so
 * that articles differ the way news stories do. Same seed, same corpus, byte for byte.
 */

/** A seeded PRNG (mulberry32): fast, tiny, and good enough for sampling. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUNCTION_WORDS =
  `the of and to a in that is was for on with as by at from it he his said be has have had
not are were but an which they this its their would will also been after who or more than over about
into there we could said other some when what her she can all one our two new may if so no up out them
other these only those then should because while before during since against between under such most`.split(
    /\s+/,
  );

const GENERAL =
  `people year years government time country week day officials president minister statement talks
meeting deal agreement plan proposal support state states part war end forces military security peace
leaders report told percent million billion month months region control political economic future
public power first last second next major former foreign national international side sides issue
issues decision process terms group members party official policy law court price prices market
energy oil gas trade aid funding budget vote election parliament council committee spokesman adviser
source sources press conference interview comments warning threat risk crisis pressure response reply
visit capital city cities border area areas land territory line front attack attacks strike strikes
drone drones missile missiles defence defense army troops soldiers units commander general sanctions
economy bank banks assets reserves exports imports grain ports shipping route routes corridor sea
talks negotiators negotiation negotiations envoy envoys summit framework draft points document text
guarantees guarantee membership alliance treaty commitment commitments recognition sovereignty
ceasefire truce withdrawal occupation occupied annexed annexation referendum status zone buffer
demilitarised monitoring mission observers inspectors prisoners exchange exchanges release families
children civilians casualties losses damage infrastructure power grid plant plants nuclear reactor
reconstruction investment fund funds loan loans debt frozen europe european union washington
analysts experts diplomats diplomacy channel channels backchannel proposal counterproposal demands
demand concessions concession compromise position positions stance approach strategy timeline deadline
weeks days hours morning evening announced confirmed denied rejected accepted agreed insisted warned
argued suggested called urged pledged promised offered signed delayed postponed resumed stalled
collapsed progress breakthrough setback obstacles conditions precondition preconditions sequence stage
stages phase phases implementation enforcement verification mechanism mechanisms clause provisions`.split(
    /\s+/,
  );

const DOMAIN = `Ukraine Russia Kyiv Moscow Putin Zelensky Trump Witkoff Kushner Rubio Lavrov Peskov Ushakov
Dmitriev Umerov Yermak Budanov Sybiha Kellogg Vance Macron Starmer Merz Erdogan Orban NATO EU Kremlin
Donbas Donetsk Luhansk Crimea Kherson Zaporizhzhia Kharkiv Sumy Odesa Mariupol Bakhmut Pokrovsk
Kramatorsk Sloviansk Kostiantynivka Avdiivka Kupiansk Dnipro Chernihiv Belgorod Kursk Bryansk Alaska
Anchorage Istanbul Geneva Riyadh Jeddah Abu Dhabi Doha Minsk Budapest Brussels Washington Davos
Zaporizhzhia Enerhodar Black Sea Azov Dnipropetrovsk Transnistria Belarus Poland Romania Moldova
Finland Baltic Turkey Qatar Saudi China Beijing India Xi Modi`.split(/\s+/);

const SYLLABLES =
  `ka ro vin tel mar sen dor pli chu ast ven gor lin tra bel mis ter nov pol dan rek sha vor ilt
ush ben kor zem pra lov ski dra mun tes vel hol ard ens nik ova per lan tur gin fos bra</>`
    .replace('</>', '')
    .split(/\s+/);
const OUTLETS = [
  'Reuters',
  'Associated Press',
  'BBC News',
  'The Kyiv Independent',
  'Meduza',
  'Financial Times',
  'The Guardian',
  'Ukrainska Pravda',
  'Politico Europe',
  'Bloomberg',
  'Deutsche Welle',
  'Le Monde',
];

/** The vocabulary ordered by rank, with a sampler drawing ranks with Zipf–Mandelbrot weights. */
interface Vocabulary {
  words: string[];
  sample(random: () => number): string;
}

function buildVocabulary(random: () => number, tailSize: number): Vocabulary {
  const tail = new Set<string>();
  while (tail.size < tailSize) {
    const n = random() < 0.7 ? 2 : 3;
    let word = '';
    for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    // A fifth of the rare words are names (capitalised), as in news text.
    tail.add(random() < 0.2 ? word[0]!.toUpperCase() + word.slice(1) : word);
  }
  // Ranks: general words and domain names interleaved at the top, the rare tail below.
  const head: string[] = [];
  for (let i = 0; i < Math.max(GENERAL.length, DOMAIN.length); i++) {
    if (GENERAL[i]) head.push(GENERAL[i]!);
    if (i % 2 === 0 && DOMAIN[i / 2]) head.push(DOMAIN[i / 2]!);
  }
  for (const word of DOMAIN.slice(Math.ceil(GENERAL.length / 2))) head.push(word);
  const words = [...new Set([...head, ...tail])];
  const cdf = new Float64Array(words.length);
  let sum = 0;
  for (let r = 0; r < words.length; r++) {
    sum += 1 / (r + 2.7) ** 1.07;
    cdf[r] = sum;
  }
  return {
    words,
    sample(rand) {
      const x = rand() * sum;
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return words[lo]!;
    },
  };
}

/** One synthetic article: its id, the corpus file text, and its sentences (for making questions). */
export interface SyntheticArticle {
  id: string;
  text: string;
  sentences: string[];
}

/** Options of {@link generateCorpus}. */
export interface GenerateOptions {
  articles: number;
  seed?: number;
  /** Average words per article. Default 600. */
  words?: number;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Generate a corpus of synthetic articles (corpus file texts with front matter). */
export function generateCorpus(options: GenerateOptions): SyntheticArticle[] {
  const random = createRandom(options.seed ?? 20_250_821);
  const vocabulary = buildVocabulary(random, 40_000);
  const targetWords = options.words ?? 600;
  const articles: SyntheticArticle[] = [];
  const start = Date.UTC(2022, 1, 24);
  for (let n = 0; n < options.articles; n++) {
    // Topic words: a few domain names and rarer words this story keeps coming back to.
    const topic = [
      pick(random, DOMAIN),
      pick(random, DOMAIN),
      pick(random, GENERAL),
      ...Array.from({ length: 5 }, () => vocabulary.words[200 + Math.floor(random() * 20_000)]!),
    ];
    const word = () => {
      const x = random();
      if (x < 0.42) return pick(random, FUNCTION_WORDS);
      if (x < 0.52) return pick(random, topic);
      if (x < 0.54)
        return String(Math.floor(random() * (random() < 0.5 ? 100 : 1_000_000)).toLocaleString('en-US'));
      return vocabulary.sample(random);
    };
    const sentence = () => {
      // Long news-wire sentences (clauses, attributions): ~16 per article, as in the measurements.
      const length = 20 + Math.floor(random() * 33);
      const words = Array.from({ length }, word);
      if (random() < 0.7) words[Math.floor(length / 2)] += ',';
      const text = words.join(' ');
      return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
    };
    const sentences: string[] = [];
    const blocks: string[] = [];
    let count = 0;
    const length = targetWords * (0.6 + random() * 0.6);
    while (count < length) {
      if (blocks.length > 2 && random() < 0.08) blocks.push(`## ${sentence().replace(/\.$/, '')}`);
      const paragraph = Array.from({ length: 2 + Math.floor(random() * 4) }, sentence);
      sentences.push(...paragraph);
      count += paragraph.reduce((sum, s) => sum + s.split(' ').length, 0);
      blocks.push(paragraph.join(' '));
    }
    const title = [topic[0], pick(random, GENERAL), topic[3], topic[1], pick(random, GENERAL), topic[4]].join(
      ' ',
    );
    const published = new Date(start + Math.floor((n / options.articles) * 1300) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const id = `${published}-synthetic-${String(n).padStart(5, '0')}`;
    const text = `---\nid: ${id}\ntitle: ${JSON.stringify(title)}\nsource: ${JSON.stringify(pick(random, OUTLETS))}\npublished: ${published}\n---\n\n${blocks.join('\n\n')}\n`;
    articles.push({ id, text, sentences });
  }
  return articles;
}

const TEMPLATES = [
  (w: string[]) => `What did ${w.join(' ')} say?`,
  (w: string[]) => `How many ${w.join(' ')}?`,
  (w: string[]) => `Who ${w.join(' ')}?`,
  (w: string[]) => `Why ${w.join(' ')}?`,
  (w: string[]) => `When did ${w.join(' ')} happen?`,
  (w: string[]) => `Where ${w.join(' ')}?`,
  (w: string[]) => `${w.join(' ')}`,
  (w: string[]) => `What is the latest on ${w.join(' ')}?`,
];

const typo = (random: () => number, word: string) => {
  if (word.length < 6) return word;
  const i = 1 + Math.floor(random() * (word.length - 3));
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
};

/**
 * Varied questions over a generated corpus: words taken from real sentences (short and long,
 * with question words), some with a typo, some single words, and some off-topic ones the corpus
 * cannot answer.
 */
export function generateQuestions(articles: readonly SyntheticArticle[], count: number, seed = 7): string[] {
  const random = createRandom(seed);
  const questions: string[] = [];
  const functionWords = new Set(FUNCTION_WORDS);
  for (let i = 0; i < count; i++) {
    const kind = random();
    if (kind < 0.08) {
      const unknown = Array.from({ length: 1 + Math.floor(random() * 2) }, () =>
        Array.from({ length: 3 }, () => pick(random, ['zq', 'xu', 'qo', 'vy', 'jy', 'wq'])).join(''),
      );
      questions.push(`What is the ${pick(random, GENERAL)} of ${unknown.join(' ')}?`);
      continue;
    }
    const article = pick(random, articles);
    const words = pick(random, article.sentences)
      .replace(/[.,]/g, '')
      .split(' ')
      .filter((w) => !functionWords.has(w.toLowerCase()));
    const take = kind < 0.18 ? 1 : kind < 0.3 ? 8 + Math.floor(random() * 8) : 2 + Math.floor(random() * 4);
    const startAt = Math.floor(random() * Math.max(1, words.length - take));
    let chosen = words.slice(startAt, startAt + take);
    if (chosen.length === 0) chosen = [pick(random, GENERAL)];
    if (kind >= 0.3 && kind < 0.45) chosen = chosen.map((w, j) => (j === 0 ? typo(random, w) : w));
    questions.push(pick(random, TEMPLATES)(chosen));
  }
  return questions;
}
