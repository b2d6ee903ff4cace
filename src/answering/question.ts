import { analyze, analyzeTerms, type Token } from '../text/analyze.ts';
import { EMPTY_LEXICON, type Lexicon } from '../text/lexicon.ts';
import { normalizeText } from '../text/normalize.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import synonymData from '../text/synonyms.json' with { type: 'json' };

/** The kind of answer a question asks for, read from its wording. */
export type AnswerKind = 'share' | 'quantity' | 'person' | 'date' | 'place' | 'reason' | 'other';

/** A term of the question, with what it may also match. */
export interface QuestionTerm {
  /** The analysed term, as the index holds it. */
  term: string;
  /** The word the asker typed. */
  surface: string;
  /** How much the term says about the topic: 1 for content words, less for generic ones. */
  salience: number;
  /** Terms of other words for the same thing (from synonyms.json), matched at a lower weight. */
  synonyms: string[];
  /** Terms of the word's WordNet synonyms (a general, noisier source), matched at a lower weight still. */
  related: string[];
  /**
   * Other inflections of the same word that the stemmer takes to another term ("focused" ->
   * "focus" but "focus" -> "focu"; "given" vs "give"): they count as the word itself.
   */
  forms: string[];
  /**
   * WordNet's multi-word synonyms of the word, matched as a phrase in a sentence ("require" ->
   * "call for" matches "called for"): `head` is the first word's term, `rest` the words after it.
   */
  phrases: Array<{ head: string; rest: string }>;
  /**
   * The other words of a curated phrase this term stands for ("line" for "front line"): not
   * terms of their own, but marked with it where a sentence has them.
   */
  phraseWords: string[];
  /**
   * True for an everyday English word typed in lower case (among the commonest
   * {@link COMMON_WORD_RANK} words): if the corpus lacks it, that says little about the topic.
   */
  common: boolean;
  /**
   * True when WordNet knows the word as a noun and not as a verb ("reparations", "ambassador"):
   * a thing asked about, which a sentence about it names (predicates and qualities are paraphrased
   * far more freely: "regroup", "big"). Not the noun after "what"/"which", which names the kind of
   * answer ("Which *newspaper* ...") and is the focus rule's business.
   */
  thing: boolean;
  /** True for a capitalised word or acronym after the question's first word: a name ("Brazil", "GDP"). */
  name: boolean;
  /**
   * The concept the term belongs to: consecutive words of one name ("Security Council",
   * "Truth Social") share one, so a name of two words counts as one thing asked about.
   */
  concept: number;
  /**
   * True for the word that names the answer asked for ("share" in "what share", "year" in "which
   * year"): the answer says "14%" or "2024", rarely the word, so a passage of that kind holds it.
   */
  namesKind: boolean;
}

/** What {@link analyzeQuestion} may draw on. */
export interface QuestionOptions {
  /** Expand terms with the curated synonyms.json groups. Default true. */
  synonyms?: boolean;
  /** Expand terms with WordNet synonyms from the lexicon. Default true. */
  lexiconSynonyms?: boolean;
  /** General English knowledge; default none. */
  lexicon?: Lexicon;
  /** Match other inflections the stemmer splits ("focus"/"focused"). Default true. */
  inflections?: boolean;
  /** Among those inflections, the irregular ones ("fled"/"flee"). Default true. */
  irregularForms?: boolean;
  /**
   * Take phrases as units: curated members of several words ("basic law"), WordNet phrasal verbs
   * ("turn down"), and WordNet multi-word synonyms found as phrases ("called for"). Default true.
   */
  phrases?: boolean;
  /**
   * Read the act asked about (`predicate`, `predicateWords`: the main verb and the words of all
   * its WordNet senses), which only the refusal `ranking.predicateHeld` uses. Default false, so
   * no question pays for those lookups while that refusal is off.
   */
  predicate?: boolean;
}

// Nouns that name an answer given as a figure or a date rather than in words.
const KIND_NOUNS = new Set(
  analyzeTerms('percentage percent share proportion fraction number amount figure size date day year month'),
);

/** Words up to this rank in the frequency list count as everyday English. */
export const COMMON_WORD_RANK = 20_000;

/** A question taken apart for retrieval and ranking. */
export interface AnalyzedQuestion {
  kind: AnswerKind;
  terms: QuestionTerm[];
  /**
   * The concepts of the thing the question asks about, read from its structure: the noun after
   * "how many" or "how much" ("How many *prisoners* of war ..."), or after "what" or "which"
   * before the verb ("What *language rights* does ..."). Empty when the structure names none.
   */
  focus: number[];
  /**
   * Where the focus must be found: in the quoted passage for "how many X" (the figure stands next
   * to what it counts), anywhere in the cited article for "what X" (X is often the kind of thing
   * the answer is, "What *policy* did ...?", which the answering sentence need not repeat).
   */
  focusScope: 'passage' | 'article';
  /** True when the focus is the question's final verb ("When does the ceasefire *expire*?"). */
  focusIsPredicate: boolean;
  /**
   * For "what/which X", terms of the kinds and instances of X that WordNet knows ("What *religion*
   * did the French spread?" -> "christianity", "catholicism"): a quoted passage naming one names
   * what was asked for without its word. Absent without a lexicon or such a noun.
   */
  focusKinds?: string[];
  /**
   * For a yes/no question, the concepts of what it asks about, read from its structure: the noun
   * after "is/will there (be)" ("Is there a *deadline* ...?") or the object of the main verb
   * ("Will Ukraine hold *elections* ...?"). The quoted passage must hold one. Absent otherwise.
   */
  yesNoFocus?: number[];
  /**
   * For a question asking who, what, how or why someone did something, the concept of its main
   * verb, read from its structure ("Who would *monitor* the ceasefire?", "What did the envoy
   * *propose*?"): what the answer must say happened. Absent for the verbs of saying and the light
   * verbs (GENERIC_TERMS: "What did X say?" is answered by a quote), and for other questions.
   */
  predicate?: number;
  /** Terms of every verb sense of the predicate and the words derived from them ("compare" -> "liken", "comparison"). */
  predicateWords?: string[];
  /**
   * For a question asking what someone said ("What did Ushakov *tell* reporters?", "How did
   * Peskov *describe* the talks?": its main verb an act of saying), the forms (as written, folded) of the verbs of
   * saying in any form: a quote that answers it reports speech. Absent otherwise.
   */
  speechForms?: ReadonlySet<string>;
  /**
   * Phrases of two words or more the question quotes ("what was the 'war or peace' line"), folded
   * (lower case, single spaces): a sentence that has one word for word is what the asker remembers.
   */
  quotedPhrases?: string[];
  /**
   * With `speechForms`, the concepts of the name that is the subject of the saying ("What did
   * *Zelenskyy* say …?"): the quote must report that one speaking, not another one beside him.
   */
  speakers?: number[];
  /**
   * The expression an answer must hold when the question names it: a year for "what/which year",
   * a month for "what month", a calendar date for "what date" (a weekday too for "what day"), a span of time or
   * length for "how long", a proportion for "what share". Absent when the question names none.
   */
  namedKind?: NamedKind;
  /**
   * For "who" questions, the nouns WordNet files under people (see {@link Lexicon.nounsFiledUnder}):
   * a sentence naming one ("the director", "Aristotle") holds the kind of answer asked for, beyond
   * the fixed cues. Absent without a lexicon or for other kinds.
   */
  kindNouns?: ReadonlySet<string>;
}

/** Answer expressions a question can name (see {@link AnalyzedQuestion.namedKind}). */
export type NamedKind = 'year' | 'month' | 'date' | 'day' | 'duration' | 'share';

const NAMED_KINDS: Array<[NamedKind, RegExp]> = [
  ['year', /\b(?:what|which) years?\b/u],
  ['month', /\b(?:what|which) months?\b/u],
  ['date', /\b(?:what|which) date\b/u],
  ['day', /\b(?:what|which) day\b/u],
  ['duration', /\bhow long\b/u],
  ['share', /\bwhat (?:percentage|percent|share|proportion|fraction)\b/u],
];

// Text between quotation marks: straight or curly double quotes, or single quotes that open after
// a space and close before a space or punctuation (not an apostrophe: "Russia's", "don't").
const QUOTED = /"([^"]+)"|“([^”]+)”|(?:^|\s)['‘]([^'’]+)['’](?=[\s.,;:?!]|$)/gu;

/** The phrases of two words or more the question quotes, folded. */
export function quotedPhrasesOf(text: string): string[] {
  return [...text.matchAll(QUOTED)]
    .map((m) => foldPhrase(m[1] ?? m[2] ?? m[3] ?? ''))
    .filter((phrase) => phrase.includes(' '));
}

/** Lower case, words only, single spaces: how a quoted phrase and a sentence are compared. */
export function foldPhrase(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The answer expression the question names, if any ("In what year …?" -> year). */
export function namedKindOf(question: string): NamedKind | undefined {
  const folded = normalizeText(question).toLowerCase();
  return NAMED_KINDS.find(([, pattern]) => pattern.test(folded))?.[0];
}

/** Month and weekday names: what dates a question or a sentence (here, and for `ranking.statedFigures`). */
export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;
export const WEEKDAY_NAMES = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
const MONTHS = [
  ...MONTH_NAMES,
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
].join('|');
const CALENDAR_DATE = `\\b(?:${MONTHS})\\.?\\s+\\d|\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\b|\\b\\d{4}-\\d\\d-\\d\\d\\b|\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b`;
const TIME_POINT = `(?:\\b\\d{3,4}\\b|\\b(?:${MONTHS})\\b)`;
const NAMED_KIND_EXPRESSIONS: Record<Exclude<NamedKind, 'share'>, RegExp> = {
  // A year, a decade or a century ("1756", "the 1870s", "the 18th century", "AD 800").
  year: /\b\d{3,4}s?\b|\b\d{1,2}(?:st|nd|rd|th) century\b|\b(?:last|next|this) year\b/iu,
  month: new RegExp(`\\b(?:${MONTHS})\\b|\\b(?:last|next|this) month\\b`, 'iu'),
  // A calendar date: a month with a day or a year, or a date in figures.
  date: new RegExp(CALENDAR_DATE, 'iu'),
  // A day: a calendar date or a weekday ("on Monday").
  day: new RegExp(`${CALENDAR_DATE}|\\b(?:${WEEKDAY_NAMES.join('|')}|yesterday|today|tomorrow)\\b`, 'iu'),
  // A span of time or length, or one given by its ends ("from 1870 to 1939", "until 1796").
  duration: new RegExp(
    `\\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|lifetime|generations?|km|kilometres?|kilometers?|miles?|metres?|meters?|feet|foot|inches?|yards?)\\b|${TIME_POINT}.{0,40}?\\b(?:to|until|till|through)\\b.{0,20}?${TIME_POINT}|\\b(?:until|till|since)\\s+(?:\\S+\\s+){0,2}?${TIME_POINT}`,
    'iu',
  ),
};

/** Whether a sentence holds the expression a question names (see {@link namedKindOf}). */
export function holdsNamedKind(kind: NamedKind, sentence: string): boolean {
  return kind === 'share' ? SHARE_WORDS.test(sentence) : NAMED_KIND_EXPRESSIONS[kind].test(sentence);
}

// Words that appear in questions without saying what they are about ("What did X say about Y?").
// They still count, at a third of the weight, so "say" cannot outvote "Kherson".
const GENERIC_TERMS = new Set(
  analyzeTerms(
    `say said says tell told think thought want wants wanted happen happened mean means go going get got make made
    thing things like new latest know known describe described report reported reports according
    current currently recent recently now today include includes including involve involved involving
    give gave given put take took do done way ways happen situation issue issues question questions
    mention mentioned talk about kind sort part parts role see seen look find`,
  ),
);

/** Synonym groups, each member analysed into terms once. */
const SYNONYM_GROUPS: string[][][] = synonymData.groups.map((group) =>
  group.map((member) => analyzeTerms(member)),
);

/**
 * A curated member of several words starting at `tokens[at]` ("basic law", "hand over"), and the
 * terms of the other members of its groups: the phrase is one thing asked, with its own synonyms.
 */
export function curatedPhraseAt(
  tokens: readonly { term: string }[],
  at: number,
): { length: number; synonyms: string[] } | undefined {
  let best: { length: number; synonyms: string[] } | undefined;
  for (const group of SYNONYM_GROUPS) {
    for (const member of group) {
      if (member.length < 2 || (best && member.length <= best.length)) continue;
      if (!member.every((term, k) => tokens[at + k]?.term === term)) continue;
      const synonyms = new Set(group.filter((m) => m !== member).flat());
      best = { length: member.length, synonyms: [...synonyms] };
    }
  }
  return best;
}

/** Single-term synonyms of a term, from every group that has it as a one-word member. */
export function synonymsOf(term: string): string[] {
  const found = new Set<string>();
  for (const group of SYNONYM_GROUPS) {
    if (!group.some((member) => member.length === 1 && member[0] === term)) continue;
    for (const member of group) {
      for (const other of member) if (other !== term) found.add(other);
    }
  }
  return [...found];
}

// A question asking for someone; the "person" kind also covers organisations ("Which newspaper
// …?"), which nouns for people do not answer.
const ASKS_FOR_SOMEONE =
  /\bwho(?:m|se)?\b|\b(?:what|which) (?:official|person|people|leader|aide|envoy|spokes\w*)\b/;
const KIND_PATTERNS: Array<[AnswerKind, RegExp]> = [
  // A share wants a proportion ("14%", "a fifth"), not any count: checked before quantity.
  ['share', /\bwhat (?:percentage|percent|share|proportion|fraction)\b|\bhow much of\b/],
  ['quantity', /\bhow (?:many|much|large|big|far|long|small)\b|\bwhat (?:size|number|amount|figure)\b/],
  ['date', /\bwhen\b|\b(?:what|which) (?:date|day|year|month|time)\b|\bhow (?:soon|recently)\b/],
  // Organisations are answered by names too ("Which newspaper ...?" -> "The Wall Street Journal").
  [
    'person',
    new RegExp(
      `${ASKS_FOR_SOMEONE.source}|\\b(?:what|which) (?:newspapers?|papers?|outlets?|agenc(?:y|ies)|organi[sz]ations?|institutions?|think[- ]tanks?|compan(?:y|ies)|media|broadcasters?|publications?)\\b`,
    ),
  ],
  [
    'place',
    /\bwhere\b|\b(?:what|which) (?:regions?|provinces?|oblasts?|areas?|territor(?:y|ies)|cit(?:y|ies)|countr(?:y|ies)|land)\b/,
  ],
  ['reason', /\bwhy\b|\bwhat (?:reason|motive|explains)\b|\bfor what reason\b/],
];

/** Read the kind of answer wanted from the question's wording. */
export function answerKindOf(question: string): AnswerKind {
  const folded = normalizeText(question).toLowerCase();
  return KIND_PATTERNS.find(([, pattern]) => pattern.test(folded))?.[0] ?? 'other';
}

// Lexicon words recur across questions; analysing each once keeps lookups cheap. Process-wide on
// purpose: a word's terms depend only on the shipped analysis data, never on an engine's corpus.
const wordTerms = new Map<string, string[]>();
function termsOfWord(word: string): string[] {
  let terms = wordTerms.get(word);
  if (!terms) {
    terms = analyzeTerms(word);
    if (wordTerms.size < 50_000) wordTerms.set(word, terms);
  }
  return terms;
}

/** True when the token lies inside the span. */
const within = (token: Token, span: readonly [number, number] | undefined): boolean =>
  span !== undefined && token.start >= span[0] && token.end <= span[1];

/** Analyse a question: its answer kind and its distinct terms with salience and synonyms. */
export function analyzeQuestion(asked: string, options: QuestionOptions = {}): AnalyzedQuestion {
  const lexicon = options.lexicon ?? EMPTY_LEXICON;
  const question = mendQuestionWord(asked, lexicon);
  const seen = new Set<string>();
  const terms: QuestionTerm[] = [];
  // Spans come from the normalised text, like analyze()'s.
  const text = normalizeText(question);
  const tokens = analyze(question);
  const firstWordEnd = /^\s*\S+/u.exec(text)?.[0].length ?? 0;
  let concept = -1;
  let previous: { end: number; name: boolean } | undefined;
  // End of the second word of a two-word phrase taken as one ("come back"): not a term of its own.
  let absorbedUntil = -1;
  const focusMatch = focusSpanOf(text);
  const focusSpan = focusMatch?.span;
  const focus = new Set<number>();
  const yesNoSpan = focusSpan ? undefined : yesNoFocusSpanOf(text, lexicon);
  const yesNoFocus = new Set<number>();
  const mainVerbSpan = focusSpan || yesNoSpan ? undefined : predicateSpanOf(text, lexicon);
  const predicateSpan = options.predicate ? mainVerbSpan : undefined;
  const speechForms = mainVerbSpan && asksWhatWasSaid(text.slice(...mainVerbSpan), lexicon);
  const namedKind = namedKindOf(question);
  const quotedPhrases = quotedPhrasesOf(text);
  const speakerSpan =
    speechForms && mainVerbSpan && asksWhoSaid(text.slice(...mainVerbSpan), lexicon)
      ? subjectSpanBefore(text, mainVerbSpan)
      : undefined;
  const speakers = new Set<number>();
  let predicate: number | undefined;
  let predicateSurface = '';
  const focusSurfaces: string[] = [];
  for (const [index, token] of tokens.entries()) {
    if (token.start < absorbedUntil) continue;
    const isName = token.start >= firstWordEnd && /^\p{Lu}/u.test(text.slice(token.start, token.end));
    const continuesName =
      isName && previous?.name === true && /^[\s-]*$/u.test(text.slice(previous.end, token.start));
    if (!continuesName) concept++;
    previous = { end: token.end, name: isName };
    if (
      within(token, focusSpan) &&
      !isName &&
      !GENERIC_TERMS.has(token.term) &&
      !FOCUS_KIND_NOUNS.has(token.term)
    ) {
      focus.add(concept);
      focusSurfaces.push(text.slice(token.start, token.end));
    }
    // A name, or a word English does not know (a name typed in lower case, "zelenksy").
    // Only when the subject ends on it: "What does the *US* draft say" asks what the draft says.
    if (within(token, speakerSpan)) {
      if (isName || unknownWord(text.slice(token.start, token.end), lexicon)) speakers.add(concept);
      else speakers.clear();
    }
    // Answer-kind nouns stay: "Will Russia give back *land*?" asks about land, not for a place.
    if (within(token, yesNoSpan) && !isName && !GENERIC_TERMS.has(token.term)) yesNoFocus.add(concept);
    if (
      within(token, predicateSpan) &&
      !isName &&
      !GENERIC_TERMS.has(token.term) &&
      !ANSWERED_BY_WORDS_OR_NAMES.has(token.term)
    ) {
      predicate = concept;
      predicateSurface = text.slice(token.start, token.end);
    }
    if (seen.has(token.term)) continue;
    seen.add(token.term);
    const made = questionTermOf(tokens, index, text, { isName, concept, options, lexicon });
    if (made.absorbedUntil !== undefined) absorbedUntil = made.absorbedUntil;
    terms.push(made.term);
  }
  const focusScope = focusMatch?.counted ? 'passage' : 'article';
  // "How many X" counts X by its word; only "what/which X" is answered by a kind of X.
  const focusKinds =
    focusScope === 'article' && !focusMatch?.predicate ? kindTermsOf(focusSurfaces, lexicon) : [];
  const kind = answerKindOf(question);
  const kindNouns = kindNounsOf(kind, text, lexicon);
  return {
    kind,
    ...(kindNouns ? { kindNouns } : {}),
    terms,
    focus: [...focus],
    focusScope,
    ...(focusKinds.length > 0 ? { focusKinds } : {}),
    focusIsPredicate: focusMatch?.predicate ?? false,
    ...(yesNoFocus.size > 0 ? { yesNoFocus: [...yesNoFocus] } : {}),
    ...(predicate !== undefined
      ? { predicate, predicateWords: predicateWordsOf(predicateSurface, lexicon) }
      : {}),
    ...(speechForms ? { speechForms } : {}),
    ...(speakers.size > 0 ? { speakers: [...speakers] } : {}),
    ...(namedKind ? { namedKind } : {}),
    ...(quotedPhrases.length > 0 ? { quotedPhrases } : {}),
  };
}

/**
 * Whether a verb is one of saying in words (WordNet's "say", "tell", "state" and the ways of
 * doing them: "claim", "remark", "announce"), whose subject is who spoke; not "demand" or
 * "oppose", whose answer need not quote the one who did it.
 */
function asksWhoSaid(verb: string, lexicon: Lexicon): boolean {
  const saying = cached(lexicon, 'saying-verbs', () => {
    const seeds = ['say', 'tell', 'state'];
    return new Set([...seeds, ...seeds.flatMap((seed) => lexicon.kindsOf?.(seed, 'verb') ?? [])]);
  });
  return (lexicon.verbBases?.(verb.toLowerCase()) ?? []).some((base) => saying.has(base));
}

/** The words between a question's auxiliary and its main verb ("What did *the Kremlin aide* say"). */
function subjectSpanBefore(text: string, verb: [number, number]): [number, number] | undefined {
  const auxiliary = questionWords(text)[1];
  return auxiliary && AUXILIARIES.has(auxiliary.folded) && auxiliary.end < verb[0]
    ? [auxiliary.end, verb[0]]
    : undefined;
}

/** A word that is in neither WordNet nor the frequency list. */
function unknownWord(surface: string, lexicon: Lexicon): boolean {
  return lexicon.frequencyRank(surface) === undefined && lexicon.lemmas(surface).length === 0;
}

/**
 * The forms of every verb of saying (in its two commonest senses) when `verb`'s commonest sense is
 * one ("told" -> tell; not "differ" or "add", whose second sense is), else undefined.
 */
function asksWhatWasSaid(verb: string, lexicon: Lexicon): ReadonlySet<string> | undefined {
  // "What is the force *called*?" asks for a name; "What did the loss *mean*?" for a meaning.
  const term = termsOfWord(verb.toLowerCase())[0];
  if (term && ANSWERED_BY_WORDS_OR_NAMES.has(term)) return undefined;
  const asked = lexicon.speechVerbs?.(1);
  if (!asked || !(lexicon.verbBases?.(verb.toLowerCase()) ?? []).some((base) => asked.has(base)))
    return undefined;
  const verbs = lexicon.speechVerbs!(2);
  // Forms as written, not stems: the stem of "officer" (a verb of communication) is that of "office".
  return cached(lexicon, 'speech-forms', () => {
    const forms = new Set<string>();
    for (const lemma of verbs)
      for (const form of [
        ...INFLECTIONS.map((inflect) => inflect(lemma)),
        // "deny" -> "denied", "admit" -> "admitted": spellings the stemmer's inflections leave out.
        ...(/[^aeiou]y$/.test(lemma) ? [`${lemma.slice(0, -1)}ies`, `${lemma.slice(0, -1)}ied`] : []),
        ...(/[^aeiou][aeiou][bdgmnprt]$/.test(lemma)
          ? [`${lemma}${lemma.at(-1)}ed`, `${lemma}${lemma.at(-1)}ing`]
          : []),
        ...lexicon.irregularForms(lemma),
      ])
        forms.add(form);
    return forms;
  });
}

/**
 * One distinct term of a question with its synonyms, related words, forms and phrases; and where
 * a phrase taken as one thing ends ("basic law", "come back"), when it is one.
 */
function questionTermOf(
  tokens: readonly Token[],
  index: number,
  text: string,
  context: { isName: boolean; concept: number; options: QuestionOptions; lexicon: Lexicon },
): { term: QuestionTerm; absorbedUntil: number | undefined } {
  const { isName, concept, options, lexicon } = context;
  const token = tokens[index]!;
  const surface = text.slice(token.start, token.end);
  // "basic law" is one thing asked, with the synonyms of its group ("constitution").
  const phrasesOn = options.phrases !== false;
  const curated = options.synonyms === false || !phrasesOn ? undefined : curatedPhraseAt(tokens, index);
  let absorbedUntil = curated ? tokens[index + curated.length - 1]!.end : undefined;
  const synonyms =
    options.synonyms === false
      ? []
      : curated
        ? curated.synonyms.filter((s) => s !== token.term)
        : synonymsOf(token.term);
  const name = isName;
  // Names have no synonyms ("Trump" is not "outdo").
  const related =
    options.lexiconSynonyms === false || name || /\s/.test(surface)
      ? []
      : [
          ...new Set(
            lexicon
              .synonyms(surface)
              .map(termsOfWord)
              .filter((ts) => ts.length === 1 && ts[0] !== token.term && !synonyms.includes(ts[0]!))
              .map((ts) => ts[0]!),
          ),
        ];
  const wordnet = !(options.lexiconSynonyms === false || name || /\s/.test(surface));
  const phrase = wordnet && phrasesOn ? phraseSynonyms(text, token.end, surface, lexicon) : undefined;
  if (phrase) absorbedUntil = phrase.end;
  const rank = lexicon.frequencyRank(surface);
  const term: QuestionTerm = {
    term: token.term,
    surface,
    salience: GENERIC_TERMS.has(token.term) ? 0.35 : 1,
    synonyms: phrase
      ? [...new Set([...synonyms, ...phrase.terms.filter((s) => s !== token.term && !related.includes(s))])]
      : synonyms,
    related,
    forms: [
      ...(name || /\s/.test(surface) || options.inflections === false
        ? []
        : formsOf(surface, token.term, lexicon, options.irregularForms !== false)),
      ...monthOf(surface),
    ],
    phrases: wordnet && phrasesOn ? phrasesOf(surface, lexicon) : [],
    phraseWords: curated ? tokens.slice(index + 1, index + curated.length).map((t) => t.term) : [],
    common: /^\p{Ll}/u.test(surface) && rank !== undefined && rank <= COMMON_WORD_RANK,
    thing: isThing(surface, lexicon) && !ANSWER_TYPE_BEFORE.test(text.slice(0, token.start)),
    name,
    concept,
    namesKind: KIND_NOUNS.has(token.term) && /\b(?:what|which)\s+$/iu.test(text.slice(0, token.start)),
  };
  return { term, absorbedUntil };
}

const AUXILIARIES = new Set(
  'is are was were do does did will would can could has have had should shall may might must'.split(' '),
);
// Auxiliaries followed by the bare verb ("Will Ukraine *hold* ..."); the others by a participle.
const BARE_VERB_AUXILIARIES = new Set(
  'do does did will would can could should shall may might must'.split(' '),
);
// Words before a noun that say how much or which, not what: skipped to reach the noun.
const DETERMINERS = new Set(
  'a an any some no the this that these those its his her their our my your another more further'.split(' '),
);
// Forms of "be" and "have" between an auxiliary and its verb ("Will troops *be deployed*").
const VERB_CHAIN = new Set(['be', 'been', 'being', 'have', 'having']);
const WORD = /[\p{L}\p{N}'-]+/gu;
// The subject and verb of a yes/no question lie within its first words.
const VERB_WITHIN = 8;

/** The question's words, each folded (lower case, no "'s") and with its span in `text`. */
function questionWords(text: string) {
  return [...text.matchAll(WORD)].map((m) => ({
    text: m[0],
    folded: m[0].toLowerCase().replace(/'s$/, ''),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/**
 * The span of a yes/no question's focus, from its structure: after "is/are/will there (be)" the
 * noun phrase ("Is there a *deadline* for ...?"); otherwise the object of the main verb, the first
 * lower-case word after the subject that WordNet takes as a verb in the form the auxiliary wants
 * ("Will Ukraine hold *elections* ...?", "Has Russia accepted *the offer*?"). Undefined when the
 * question does not start with an auxiliary or its structure names nothing after the verb.
 */
function yesNoFocusSpanOf(text: string, lexicon: Lexicon): [number, number] | undefined {
  const words = questionWords(text);
  const auxiliary = words[0]?.folded;
  if (!auxiliary || !AUXILIARIES.has(auxiliary) || words.length < 3 || !lexicon.verbBases) return undefined;
  let at: number;
  if (words[1]!.folded === 'there') {
    at = 2;
    while (at < words.length && VERB_CHAIN.has(words[at]!.folded)) at++;
  } else {
    // The subject's first word is never the verb ("Does *the plan* include ...", "Will *Ukraine* hold").
    let k = 1;
    while (k < words.length && DETERMINERS.has(words[k]!.folded)) k++;
    let verb = -1;
    for (k++; k < Math.min(words.length, VERB_WITHIN); k++) {
      const word = words[k]!;
      if (/^\p{Lu}/u.test(word.text) || VERB_CHAIN.has(word.folded)) continue;
      const bases = lexicon.verbBases(word.folded);
      const bare = bases.includes(word.folded);
      // After "do" or "will" the verb is bare; after "is" or "has" a participle ("demanding", "accepted").
      const fits = BARE_VERB_AUXILIARIES.has(auxiliary)
        ? bare
        : bases.length > 0 && !bare && !/s$/.test(word.folded);
      if (fits) {
        verb = k;
        break;
      }
    }
    if (verb < 0) return undefined;
    at = verb + 1;
    // "Did Putin turn down *the offer*": the particle belongs to the verb.
    if (at < words.length && PARTICLES.has(words[at]!.folded)) at++;
  }
  while (at < words.length && DETERMINERS.has(words[at]!.folded)) at++;
  const start = words[at]?.start;
  let end = start;
  for (let k = at; k < Math.min(words.length, at + 3); k++) {
    const folded = words[k]!.folded;
    if (STOP_WORDS.has(folded) || PARTICLES.has(folded) || PREPOSITIONS.has(folded)) break;
    end = words[k]!.end;
  }
  return start !== undefined && end !== undefined && end > start ? [start, end] : undefined;
}

const QUESTION_WORDS = ['what', 'when', 'where', 'which', 'who', 'whom', 'whose', 'why', 'how'];

/**
 * A mistyped question word mended ("Whwn forces are at right angles ..." -> "When ..."): a first
 * word English does not know, one letter off a question word, is that word. Otherwise it would be
 * searched for as the rarest word there is, and the kind of answer wanted would be lost.
 */
function mendQuestionWord(question: string, lexicon: Lexicon): string {
  const first = /^\s*(\p{L}+)/u.exec(question);
  if (!first || lexicon.frequencyRank(first[1]!) !== undefined) return question;
  const word = first[1]!.toLowerCase();
  const meant = QUESTION_WORDS.find((w) => w !== word && oneEditApart(word, w));
  if (!meant) return question;
  const cased = /^\p{Lu}/u.test(first[1]!) ? meant[0]!.toUpperCase() + meant.slice(1) : meant;
  return question.slice(0, first.index) + question.slice(first.index).replace(first[1]!, cased);
}

/** Whether one substitution, insertion, deletion or swap of neighbours turns `a` into `b`. */
function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// A month's abbreviation is the month ("In Sept 1760 ..."). Not "mar" (a verb) or "may".
const MONTH_ABBREVIATIONS = new Map(
  Object.entries({
    jan: 'january',
    feb: 'february',
    apr: 'april',
    jun: 'june',
    jul: 'july',
    aug: 'august',
    sep: 'september',
    sept: 'september',
    oct: 'october',
    nov: 'november',
    dec: 'december',
  }).map(([short, month]) => [short, analyzeTerms(month)[0]!]),
);

/** The month's term when `surface` abbreviates one ("Sept" -> september's term), else none. */
function monthOf(surface: string): string[] {
  const month = MONTH_ABBREVIATIONS.get(surface.toLowerCase().replace(/\.$/, ''));
  return month ? [month] : [];
}

// Verbs of responding, naming and meaning: "How did Kyiv respond?" is answered by what Kyiv said,
// "What is X called?" by the name, "What did the loss mean?" by what followed from it; the
// answering sentence need not use the verb.
const ANSWERED_BY_WORDS_OR_NAMES = new Set(
  analyzeTerms(
    'respond react reply answer comment call called name named term termed refer referred mean meant',
  ),
);

/** Terms of the kinds and instances of each noun (see {@link Lexicon.kindsOf}). */
function kindTermsOf(surfaces: readonly string[], lexicon: Lexicon): string[] {
  if (!lexicon.kindsOf || surfaces.length === 0) return [];
  return [
    ...new Set(
      surfaces.flatMap((surface) =>
        cached(lexicon, `kinds:${surface.toLowerCase()}`, () => [
          ...new Set(lexicon.kindsOf!(surface).flatMap((w) => analyzeTerms(w))),
        ]),
      ),
    ),
  ];
}

function predicateWordsOf(surface: string, lexicon: Lexicon): string[] {
  return cached(lexicon, `predicate:${surface.toLowerCase()}`, () => [
    ...new Set((lexicon.verbSenseWords?.(surface) ?? []).flatMap((w) => analyzeTerms(w))),
  ]);
}

// Question words that ask about an act: who did it, what was done, how or why.
const ACT_QUESTION_WORDS = new Set(['who', 'what', 'how', 'why']);

/**
 * The span of a wh-question's main verb: right after the auxiliary when the question word is the
 * subject ("Who would *monitor* ...", "Who was *appointed* ..."), else the first lower-case word
 * after the subject that WordNet takes as a verb in the form the auxiliary wants ("What did the
 * envoy *propose*?", "How did Kyiv *respond* ...?"), or the verb right after "who" ("Who *signed*
 * ...?"). Undefined when none is found.
 */
function predicateSpanOf(text: string, lexicon: Lexicon): [number, number] | undefined {
  if (!lexicon.verbBases) return undefined;
  const words = questionWords(text);
  const first = words[0]?.folded;
  if (!first || !ACT_QUESTION_WORDS.has(first) || words.length < 3) return undefined;
  const second = words[1]!.folded;
  const span = (k: number): [number, number] => [words[k]!.start, words[k]!.end];
  const isVerbFor = (auxiliary: string, k: number) => {
    const word = words[k]!;
    if (/^\p{Lu}/u.test(word.text) || VERB_CHAIN.has(word.folded)) return false;
    const bases = lexicon.verbBases!(word.folded);
    const bare = bases.includes(word.folded);
    return BARE_VERB_AUXILIARIES.has(auxiliary) ? bare : bases.length > 0 && !bare && !/s$/.test(word.folded);
  };
  if (!AUXILIARIES.has(second)) {
    // "Who signed the memorandum?": the question word is the subject of a finite verb.
    const bases = lexicon.verbBases(second);
    return first === 'who' && bases.length > 0 && !bases.includes(second) ? span(1) : undefined;
  }
  // "Who would monitor ...": no subject between the auxiliary and the verb.
  if (first === 'who' && isVerbFor(second, 2)) return span(2);
  let k = 2;
  while (k < words.length && DETERMINERS.has(words[k]!.folded)) k++;
  for (k++; k < Math.min(words.length, VERB_WITHIN); k++) {
    if (!isVerbFor(second, k)) continue;
    // "What does the US draft say ...": of two words in a row that can be verbs, the first is
    // the subject's noun.
    while (k + 1 < words.length && isVerbFor(second, k + 1)) k++;
    return span(k);
  }
  return undefined;
}

const AUXILIARY = 'is|are|was|were|do|does|did|will|would|can|could|has|have|had|should|shall|may|might|must';
// "How many prisoners of war will ...", "What language rights does ...", "Which regions would ...":
// the words between the question word and the auxiliary are what is asked about.
const WH_NOUN = new RegExp(
  `^\\s*(?:how (?:many|much)|what|which)\\s+((?:[\\p{L}\\p{N}'-]+\\s+){1,5}?)(?:${AUXILIARY})\\b`,
  'diu',
);
// "When does the ceasefire *expire*?", "How much did the summit *cost*?": with "do" before its
// subject, the question's last word is its verb, what it asks about; it need not be in the
// answering sentence ("When was X born?" is answered by a date), but in the cited article.
const WH_FINAL_VERB =
  /^\s*(?:[Ww]hen|[Ww]here|[Hh]ow (?:much|many|long|often|soon))\s+(?:do|does|did|will|would|can|could)\s+\S.*?\s(\p{Ll}[\p{L}-]*)\s*[?.!]*\s*$/du;
// Nouns that name the kind of answer ("which regions", "what share"): a passage of that kind holds them.
const FOCUS_KIND_NOUNS = new Set(
  analyzeTerms(
    `percentage percent share proportion fraction number amount figure size date day year month time
    region regions province provinces oblast oblasts area areas territory territories city cities country
    countries land place official person people leader aide envoy newspaper paper outlet agency
    organisation organization institution company media reason kind sort type`,
  ),
);

/**
 * The span of the question's focus: the run of words after the question word up to the first
 * function word ("prisoners" in "how many prisoners of war will ..."), and whether it is counted
 * ("how many"); undefined when none.
 */
function focusSpanOf(
  text: string,
): { span: [number, number]; counted: boolean; predicate: boolean } | undefined {
  const final = WH_FINAL_VERB.exec(text)?.indices?.[1];
  const match = WH_NOUN.exec(text);
  const group = match?.indices?.[1];
  if (!match?.[1] || !group)
    return final ? { span: [final[0], final[1]], counted: false, predicate: true } : undefined;
  const start = group[0];
  const words = [...match[1].matchAll(/[\p{L}\p{N}'-]+/gu)];
  let end = start;
  for (const word of words) {
    const folded = word[0].toLowerCase().replace(/'s$/, '');
    // A function word or a preposition ends the noun ("Which country *besides* Cuba did ...").
    if (STOP_WORDS.has(folded) || PARTICLES.has(folded) || PREPOSITIONS.has(folded)) break;
    end = start + word.index + word[0].length;
  }
  return end > start
    ? { span: [start, end], counted: /^\s*how\b/iu.test(text), predicate: false }
    : undefined;
}

// "Which *newspaper* ...": the noun names the kind of answer. (Not after "what was the": "What
// was the *turnout* ...?" asks about the turnout, which an answering sentence names.)
const ANSWER_TYPE_BEFORE = /\b(?:what|which)\s+$/iu;

/** A noun in WordNet and neither a verb nor an adjective: a thing, not a predicate or a quality. */
function isThing(surface: string, lexicon: Lexicon): boolean {
  const word = surface.toLowerCase();
  return (
    (lexicon.nounBases?.(word) ?? []).length > 0 &&
    (lexicon.verbBases?.(word) ?? []).length === 0 &&
    (lexicon.adjectiveBases?.(word) ?? []).length === 0
  );
}

// Prepositions that are neither stop words nor particles of phrasal verbs.
const PREPOSITIONS = new Set(
  'besides beside except including like near than toward towards beyond despite regarding concerning'.split(
    ' ',
  ),
);

// Regular inflections of a base form; the stemmer maps most to one term, but not all.
const INFLECTIONS: Array<(lemma: string) => string> = [
  (l) => l,
  (l) => `${l}s`,
  (l) => `${l}es`,
  (l) => `${l}ed`,
  (l) => `${l}d`,
  (l) => `${l}ing`,
  (l) => `${l.replace(/e$/, '')}ing`,
];

// Per-word lexicon results recur across questions; computed once per lexicon (bounded like wordTerms).
// Keyed by lexicon, not engine: they depend only on the lexicon's data, never on a corpus.
const wordCaches = new WeakMap<Lexicon, Map<string, unknown>>();
function cached<T>(lexicon: Lexicon, key: string, compute: () => T): T {
  let cache = wordCaches.get(lexicon);
  if (!cache) {
    cache = new Map();
    wordCaches.set(lexicon, cache);
  }
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  if (cache.size < 50_000) cache.set(key, value);
  return value;
}

/** Terms of the other inflections of a word's base forms that the stemmer does not map to `term`. */
function formsOf(surface: string, term: string, lexicon: Lexicon, irregular: boolean): string[] {
  return cached(lexicon, `forms:${irregular}:${surface.toLowerCase()}`, () =>
    computeForms(surface, term, lexicon, irregular),
  );
}

function computeForms(surface: string, term: string, lexicon: Lexicon, irregular: boolean): string[] {
  const found = new Set<string>();
  const folded = surface.toLowerCase();
  for (const lemma of lexicon.lemmas(surface)) {
    // Off, a base found only through the irregular list ("fled" -> "flee") is not one.
    if (lemma.includes(' ') || (!irregular && lexicon.irregularForms(lemma).includes(folded))) continue;
    const irregularForms = irregular ? lexicon.irregularForms(lemma) : [];
    for (const form of [...INFLECTIONS.map((inflect) => inflect(lemma)), ...irregularForms]) {
      const terms = termsOfWord(form);
      if (terms.length === 1 && terms[0] !== term) found.add(terms[0]!);
    }
  }
  return [...found];
}

/** WordNet's multi-word synonyms of a word, as a head term and the words that must follow it. */
function phrasesOf(surface: string, lexicon: Lexicon): Array<{ head: string; rest: string }> {
  return cached(lexicon, `phrases:${surface.toLowerCase()}`, () => computePhrases(surface, lexicon));
}

function computePhrases(surface: string, lexicon: Lexicon): Array<{ head: string; rest: string }> {
  return lexicon.phrases(surface).flatMap((phrase) => {
    const [first, ...rest] = phrase.split(' ');
    const head = termsOfWord(first!);
    return head.length === 1 && rest.length > 0 ? [{ head: head[0]!, rest: rest.join(' ') }] : [];
  });
}

// Second words of English phrasal verbs ("turn down", "call for", "come back"); other pairs are
// not looked up, which keeps WordNet lookups few and leaves noun compounds to their words.
const PARTICLES = new Set(
  'about across after against ahead along apart around aside at away back by down for forward in into off on onto out over through to together under up with'.split(
    ' ',
  ),
);

/**
 * Synonyms of the two-word phrase the word starts in the question, when WordNet lists it as one
 * lemma ("turn down" -> "reject", "come back" -> "return"): the phrase means what its words alone
 * do not, so its second word is no term of its own. `end` is where that second word ends.
 */
function phraseSynonyms(
  text: string,
  end: number,
  surface: string,
  lexicon: Lexicon,
): { terms: string[]; end: number } | undefined {
  const next = /^\s+(\p{L}+)/u.exec(text.slice(end));
  if (!next || !PARTICLES.has(next[1]!.toLowerCase())) return undefined;
  const terms = cached(lexicon, `phrase:${surface.toLowerCase()} ${next[1]!.toLowerCase()}`, () =>
    lexicon
      .synonyms(`${surface} ${next[1]}`)
      .map(termsOfWord)
      .filter((ts) => ts.length === 1)
      .map((ts) => ts[0]!),
  );
  return terms.length ? { terms, end: end + next[0].length } : undefined;
}

const NUMBER_WORDS =
  /\p{N}|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|half|third|quarter|fifth|percent|dozen|dozens|entire|entirety|all)\b/iu;
const SHARE_WORDS =
  /\d\s?%|\bper ?cent\b|\b(?:half|halves|thirds?|quarters?|fifths?|tenths?|fraction|majority|minority|most of)\b/iu;
const DATE_WORDS =
  /\b(?:1\d|20)\d\ds?\b|\b\d{1,2}(?:st|nd|rd|th) centur(?:y|ies)\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last (?:week|month|year)|next (?:week|month|year)|decades?|years? ago|since)\b/iu;
const PERSON_CUES =
  /\b(?:\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+)|\b(?:president|minister|aide|adviser|advisor|envoy|spokes(?:man|woman|person)|secretary|official|officials|analyst|chair|fellow|director|general|leader|dictator|representative)\b/u;
const PLACE_CUES =
  /\b(?:region|regions|province|provinces|oblast|oblasts|territory|territories|city|border|east|eastern|south|southern|crimea|donbas|donbass|donetsk|luhansk|lugansk|kherson|zaporizhzhia|kharkiv|sumy|dnipropetrovsk|kupiansk|kyiv|moscow|alaska|istanbul|davos|abu dhabi|saudi arabia|europe)\b/iu;
const REASON_CUES =
  /\b(?:because|as a result|in order to|so that|due to|to avoid|arguing|argued|reason|fear|feared|concern|concerns|would grant|considered|seen as|sees as)\b/iu;

/**
 * People are named by any noun WordNet files under people ("the director", "Aristotle"). Places
 * keep the fixed cues: the nouns filed under places include "place", "area" and "side", said of
 * anything, and even counting only capitalised ones ("Warsaw") lost general-set answers.
 */
function kindNounsOf(
  kind: AnswerKind,
  normalized: string,
  lexicon: Lexicon,
): ReadonlySet<string> | undefined {
  if (kind !== 'person' || !ASKS_FOR_SOMEONE.test(normalized.toLowerCase())) return undefined;
  return lexicon.nounsFiledUnder?.('person');
}

/** Whether a sentence has a word among `nouns`. */
function namesKindNoun(sentence: string, nouns: ReadonlySet<string>): boolean {
  for (const [word] of sentence.matchAll(/\p{L}+/gu)) if (nouns.has(word.toLowerCase())) return true;
  return false;
}

/**
 * How well a sentence holds the kind of answer asked for: 1 when it does, 0 when not, 0.5 when
 * unknown. `nouns` widens "who" beyond the fixed cues (see {@link AnalyzedQuestion.kindNouns}).
 */
export function answerKindMatch(kind: AnswerKind, sentence: string, nouns?: ReadonlySet<string>): number {
  if (nouns && kind === 'person' && namesKindNoun(sentence, nouns)) return 1;
  switch (kind) {
    case 'share':
      return SHARE_WORDS.test(sentence) ? 1 : 0;
    case 'quantity':
      return NUMBER_WORDS.test(sentence) ? 1 : 0;
    case 'date':
      return DATE_WORDS.test(sentence) ? 1 : 0;
    case 'person':
      return PERSON_CUES.test(sentence) ? 1 : 0;
    case 'place':
      return PLACE_CUES.test(sentence) ? 1 : 0;
    case 'reason':
      return REASON_CUES.test(sentence) ? 1 : 0;
    default:
      return 0.5;
  }
}
