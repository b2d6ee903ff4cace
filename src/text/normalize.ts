/**
 * Text normalisation shared by indexing and querying, so both sides see the same characters:
 * Unicode NFKC, curly quotes to straight ones, every dash to "-", odd spaces to " ".
 */
export function normalizeText(text: string): string {
  return normalizeMarks(text.normalize('NFKC'));
}

/**
 * The part of {@link normalizeText} that maps one character to one character (quotes, dashes,
 * spaces), so offsets into the result are offsets into the input: what highlighting needs.
 */
export function normalizeMarks(text: string): string {
  // Most text has none of these marks: one scan says so, and nothing is copied.
  if (!ANY_MARK.test(text)) return text;
  return text
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-')
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ');
}

const ANY_MARK =
  /[\u2018\u2019\u201A\u201B\u2032\u02BC\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2010-\u2015\u2212\uFE58\uFE63\uFF0D\u00A0\u2000-\u200A\u202F\u205F\u3000]/;

/**
 * Case-fold a normalised term: lower case with the locale-independent rules, accents removed
 * ("Hervé" and "Herve" are one word; people type names without their accents).
 */
export function foldCase(term: string): string {
  const lower = term.toLowerCase();
  return /[^ -~]/u.test(lower) ? lower.normalize('NFD').replace(/\p{M}+/gu, '') : lower;
}
