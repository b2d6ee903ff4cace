/** A block of a Markdown body: a paragraph, one list item, or a heading. */
export interface Block {
  kind: 'paragraph' | 'list-item' | 'heading';
  /** Offset of the block's text (after any list marker or "#") in the body. */
  start: number;
  end: number;
}

/** A sentence with its place in the body, so neighbours can be shown and snippets stay verbatim. */
export interface Sentence {
  /** Position among the body's sentences, from 0. */
  index: number;
  /** Index of the block (paragraph, list item) it belongs to. */
  block: number;
  /** The heading of the section it is in, if any. */
  heading: string | undefined;
  start: number;
  end: number;
  /** Exactly `body.slice(start, end)`. */
  text: string;
}

// Titles and abbreviations after which a full stop does not end a sentence.
const TITLE_ABBREVIATIONS = new Set(
  'mr mrs ms dr prof gen lt col maj capt sgt adm cmdr sen rep gov pres st jr sr rev hon amb gov'.split(' '),
);
const NUMBER_ABBREVIATIONS = new Set(
  'jan feb mar apr jun jul aug sep sept oct nov dec no nos vol p pp art ch fig'.split(' '),
);
const OTHER_ABBREVIATIONS = new Set('vs etc approx est inc ltd corp co dept univ e.g i.e cf al'.split(' '));
// Dotted country/organisation abbreviations end sentences too ("... sanctions from the U.S."); they
// only continue one when the next word does not look like the start of a new sentence.
const SENTENCE_STARTERS = new Set(
  'the a an it he she they we i this that these those there but and or so yet however meanwhile in on at for if when while after before as his her its their our one some many most no not'.split(
    ' ',
  ),
);

const LIST_MARKER = /^(?:[-*+\u2022]|\d{1,3}[.)])\s+/;
const HEADING_MARKER = /^#{1,6}\s+/;

/** Split a Markdown body into blocks: paragraphs (blank-line separated), list items, headings. */
export function splitBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  let paragraphStart = -1;
  let paragraphEnd = -1;
  const flush = () => {
    if (paragraphStart >= 0) blocks.push({ kind: 'paragraph', start: paragraphStart, end: paragraphEnd });
    paragraphStart = -1;
  };
  let offset = 0;
  for (const line of body.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const trimmed = line.trimEnd();
    const indent = trimmed.length - trimmed.trimStart().length;
    const content = trimmed.trimStart();
    if (content === '') {
      flush();
      continue;
    }
    const heading = HEADING_MARKER.exec(content);
    const marker = LIST_MARKER.exec(content);
    if (heading || marker) {
      flush();
      const skip = indent + (heading ?? marker)![0].length;
      blocks.push({
        kind: heading ? 'heading' : 'list-item',
        start: lineStart + skip,
        end: lineStart + trimmed.length,
      });
      continue;
    }
    if (paragraphStart < 0) paragraphStart = lineStart + indent;
    paragraphEnd = lineStart + trimmed.length;
  }
  flush();
  return blocks;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Split a Markdown body into sentences. `Intl.Segmenter` does the work; its splits after
 * abbreviations ("Gen. Valery Gerasimov", "The U.N. Security Council") are mended here.
 */
export function splitSentences(body: string): Sentence[] {
  const sentences: Sentence[] = [];
  let heading: string | undefined;
  splitBlocks(body).forEach((block, blockIndex) => {
    const text = body.slice(block.start, block.end);
    if (block.kind === 'heading') {
      heading = text.trim();
      return;
    }
    for (const span of sentenceSpans(text)) {
      const start = block.start + span.start;
      const end = block.start + span.end;
      sentences.push({
        index: sentences.length,
        block: blockIndex,
        heading,
        start,
        end,
        text: body.slice(start, end),
      });
    }
  });
  return sentences;
}

/** Sentence spans within one block of text, trimmed of surrounding white space. */
export function sentenceSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const segment of segmenter.segment(text)) {
    const start = segment.index;
    const end = start + segment.segment.length;
    const previous = spans.at(-1);
    const previousText = previous ? text.slice(previous.start, previous.end) : '';
    if (
      previous &&
      // No space after the "terminator" means it was not one: "<!channel>", "Yahoo!Finance".
      (!/\s$/.test(previousText) ||
        continuesSentence(previousText, segment.segment) ||
        (insideQuotation(previousText) && end - previous.start <= MAX_QUOTED_SENTENCE))
    ) {
      previous.end = end;
    } else {
      spans.push({ start, end });
    }
  }
  // Trim white space (and drop empty spans) without changing what the slices contain otherwise.
  return spans.flatMap(({ start, end }) => {
    const slice = text.slice(start, end);
    const lead = slice.length - slice.trimStart().length;
    const trimmed = slice.trim();
    return trimmed ? [{ start: start + lead, end: start + lead + trimmed.length }] : [];
  });
}

// A quotation of several sentences stays one passage up to this length, so that a snippet never
// opens a quotation it does not close; longer ones are split as the segmenter splits them.
const MAX_QUOTED_SENTENCE = 480;

/** True when `text` opens a double quotation it does not close. */
function insideQuotation(text: string): boolean {
  const curlyOpen = text.split('\u201C').length - 1;
  const curlyClose = text.split('\u201D').length - 1;
  const straight = text.split('"').length - 1;
  return curlyOpen > curlyClose || straight % 2 === 1;
}

function continuesSentence(previous: string, next: string): boolean {
  const trimmed = previous.trimEnd();
  const nextTrimmed = next.trimStart();
  if (!nextTrimmed) return true;
  const lastWord = /(\S+)\.$/.exec(trimmed)?.[1];
  if (!lastWord) return false;
  const bare = lastWord.replace(/^[("'\u201C\u2018[]+/, '').toLowerCase();
  const nextWord = /^[\p{L}\p{N}]+/u.exec(nextTrimmed)?.[0] ?? '';
  if (TITLE_ABBREVIATIONS.has(bare)) return true;
  if (NUMBER_ABBREVIATIONS.has(bare)) return /^\p{N}/u.test(nextTrimmed);
  if (OTHER_ABBREVIATIONS.has(bare)) return /^\p{Ll}/u.test(nextTrimmed);
  // A single initial ("J. Smith") or a dotted abbreviation ("U.S.", "U.N.").
  if (/^\p{Lu}$/u.test(bare.toUpperCase()) && bare.length === 1) return true;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(bare)) {
    return /^\p{Ll}/u.test(nextTrimmed) || !SENTENCE_STARTERS.has(nextWord.toLowerCase());
  }
  return false;
}
