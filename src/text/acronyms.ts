import { STOP_WORDS } from './stop-words.ts';

/**
 * Acronyms the articles spell out: a question says "WWII", "WW-II" or "IPCC", the article "World
 * War II" or "Intergovernmental Panel on Climate Change". Read from the corpus's own capitalised
 * names, not from a list, so it works for any corpus.
 */

// A run of capitalised words, with the small words names keep inside ("Panel on Climate Change",
// "Bank of England"), and an optional Roman numeral after it ("World War II").
const NAME_RUN =
  /\b\p{Lu}[\p{L}'’-]*(?:\s+(?:(?:of|on|and|for|the)\s+)?\p{Lu}[\p{L}'’-]*)+(?:\s+[IVX]{1,4}\b)?/gu;
const CONNECTOR = /^(?:of|on|and|for|the)$/u;
const NUMERAL = /^[IVX]{1,4}$/u;
// An acronym typed in a question: 2 to 6 capitals, with a Roman numeral joined by a hyphen or a
// space ("WW-II", "WW I") or run together ("WWII", split below), not followed by another letter.
const ACRONYM = /\b(\p{Lu}{2,8})(?:(?:-|\s)([IVX]{1,4}))?(?![\p{L}\p{N}])/gu;

/** Initials of the capitalised names a corpus uses, each with the name it stands for. */
export interface AcronymTable {
  /** The name for `initials` (and a numeral: "WW" + "II"), when exactly one name fits best. */
  expand(initials: string, numeral?: string): string | undefined;
  /** Take in more texts (an article added or changed): their names join the counts. */
  add(texts: Iterable<string>): void;
  /** How many distinct initials the table knows. */
  readonly size: number;
}

/** Key of a name: its initials, and its numeral after a bar ("WW|II"). */
const keyOf = (initials: string, numeral = '') => `${initials}|${numeral}`;

/**
 * Build the table from texts (sentences of the articles). Only names whose last word is an
 * everyday noun (`everyday`: "World *War* II", "European *Union*", "Stock *Exchange*") are
 * taken: organisations and events are called by their initials, people and places are not
 * ("TV" is not "Thorstein Veblen"). A key whose names are used equally often is ambiguous and
 * left out: a guess between two names would be worse than none.
 */
export function createAcronymTable(
  texts: Iterable<string>,
  everyday: (word: string) => boolean = () => true,
): AcronymTable {
  const counts = new Map<string, Map<string, number>>();
  const add = (more: Iterable<string>) => {
    for (const text of more) {
      for (const match of text.matchAll(NAME_RUN)) {
        const words = match[0].split(/\s+/u);
        // A sentence's first word is capitalised anyway: "The British" is no name "TB".
        while (words.length && STOP_WORDS.has(words[0]!.toLowerCase())) words.shift();
        const numeral = words.length > 2 && NUMERAL.test(words.at(-1)!) ? words.pop()! : '';
        const initials = words
          .filter((w) => !CONNECTOR.test(w))
          .map((w) => w[0]!)
          .join('');
        if (initials.length < 2 || !everyday(words.at(-1)!.toLowerCase())) continue;
        const name = numeral ? `${words.join(' ')} ${numeral}` : words.join(' ');
        const key = keyOf(initials, numeral);
        const names = counts.get(key) ?? new Map<string, number>();
        names.set(name, (names.get(name) ?? 0) + 1);
        counts.set(key, names);
      }
    }
  };
  add(texts);
  return {
    expand: (initials, numeral) => {
      const names = counts.get(keyOf(initials, numeral));
      if (!names) return undefined;
      const ranked = [...names].sort((a, b) => b[1] - a[1]);
      return ranked.length > 1 && ranked[1]![1] === ranked[0]![1] ? undefined : ranked[0]![0];
    },
    add,
    get size() {
      return counts.size;
    },
  };
}

/**
 * The question with each acronym the corpus does not use (per `known`, given the acronym as
 * typed) replaced by the name the table has for it: "after WWII" -> "after World War II".
 * A run-together numeral is tried both ways ("WWII": the initials W W I I, then W W + II).
 */
export function expandAcronyms(
  question: string,
  table: Pick<AcronymTable, 'expand'>,
  known: (acronym: string) => boolean,
): string {
  return question.replace(ACRONYM, (whole, letters: string, numeral: string | undefined) => {
    if (known(letters) || (numeral === undefined && known(whole))) return whole;
    const direct = table.expand(letters, numeral);
    if (direct) return direct;
    if (numeral !== undefined) return whole;
    const split = /^(\p{Lu}{2,}?)([IVX]{1,4})$/u.exec(letters);
    return (split && table.expand(split[1]!, split[2]!)) ?? whole;
  });
}
