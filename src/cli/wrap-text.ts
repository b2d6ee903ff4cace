/** Characters that take no room on screen (the chat's emphasis markers); wrapping skips them. */
const ZERO_WIDTH = /[\uE000\uE001]/g;
const MARKER = /[\uE000\uE001]/;

const width = (text: string) => [...text.replace(ZERO_WIDTH, '')].length;

/**
 * Wrap each line of `text` to `columns` at spaces, so no word is split at the terminal's edge;
 * continuation lines keep the line's indentation. A word longer than a line is cut. Leaves the
 * text as it is when `columns` is unknown or too narrow to be worth it.
 */
export function wrapText(text: string, columns: number | undefined): string {
  if (!columns || columns < 20) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, columns))
    .join('\n');
}

// A two-column row (the help's commands): indented, a short name, two or more spaces, then its
// description. Unindented text (quotes, whose sentences may hold double spaces) never matches.
const TWO_COLUMNS = /^([ \t]+\S(?:.{0,36}?\S)? {2,})(\S.*)$/;

function wrapLine(line: string, columns: number): string {
  if (width(line) <= columns) return line;
  // Continue the description under itself, so the table stays readable, when it has room there.
  const twoColumns = TWO_COLUMNS.exec(line);
  if (twoColumns && columns - width(twoColumns[1]!) >= 20) {
    const name = twoColumns[1]!;
    const description = twoColumns[2]!;
    const pad = ' '.repeat(width(name));
    return wrapLine(pad + description, columns).replace(pad, name);
  }
  const indent = /^[ \t]*/.exec(line)![0];
  const room = Math.max(10, columns - width(indent));
  const rows: string[] = [];
  let row = '';
  for (const word of line.slice(indent.length).split(/ +/)) {
    if (row && width(row) + 1 + width(word) <= room) {
      row += ` ${word}`;
      continue;
    }
    if (row) rows.push(row);
    row = word;
    // A word longer than a whole row (a URL): cut it, since it cannot fit anywhere.
    while (width(row) > room) {
      const chars = [...row];
      let cut = 0;
      for (let seen = 0; cut < chars.length && seen < room; cut++) if (!MARKER.test(chars[cut]!)) seen++;
      rows.push(chars.slice(0, cut).join(''));
      row = chars.slice(cut).join('');
    }
  }
  if (row) rows.push(row);
  return rows.map((r) => indent + r).join('\n');
}
