/**
 * The quoting-aware side of the CSV reader (RFC 4180): a record with quoted fields, which may
 * hold delimiters, doubled quotes and line breaks. Rows without quotes never come here (csv.ts
 * reads them in place, a line at a time).
 */

/** Line breaks a quoted field may span before its opening quote is taken for a stray one. */
export const QUOTED_LINES = 100;

/** quotedRecord(): the record is not complete yet (wait for more text) / it has a stray quote. */
export const INCOMPLETE = -1;
export const STRAY_QUOTE = -2;

/** A record quotedRecord read: its field texts, and the line breaks inside its quoted fields. */
export interface QuotedRecord {
  fields: string[];
  lines: number;
}

/** True when the one record in `s` (no line break after it) ends inside a quoted field. */
export function endsInQuote(s: string, delim: string): boolean {
  let inQuote = false;
  let fieldStart = true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      if (c === '"') {
        if (s[i + 1] === '"') i++;
        else inQuote = false;
      }
    } else if (c === '"' && fieldStart) inQuote = true;
    fieldStart = !inQuote && (c === delim || c === '\n');
  }
  return inQuote;
}

/**
 * The record with quotes starting at `pos` (a fresh line) into `rec`; returns the index after
 * its line break, INCOMPLETE, or STRAY_QUOTE when a quoted field spans more than QUOTED_LINES
 * line breaks.
 */
export function quotedRecord(s: string, pos: number, delimCode: number, rec: QuotedRecord): number {
  const len = s.length;
  const fields: string[] = [];
  let field = '';
  let lines = 0;
  let i = pos;
  for (;;) {
    // start of a field
    if (i < len && s.charCodeAt(i) === 34) {
      i++;
      let from = i;
      for (;;) {
        const q = s.indexOf('"', i);
        const to = q < 0 ? len : q;
        for (let k = s.indexOf('\n', i); k >= 0 && k < to; k = s.indexOf('\n', k + 1)) lines++;
        if (lines > QUOTED_LINES) return STRAY_QUOTE;
        if (q < 0) return INCOMPLETE; // the closing quote has not arrived yet
        if (q + 1 >= len) return INCOMPLETE; // a doubled quote may follow
        if (s.charCodeAt(q + 1) === 34) {
          field += s.slice(from, q + 1);
          i = q + 2;
          from = i;
          continue;
        }
        field += s.slice(from, q);
        i = q + 1;
        break;
      }
    }
    // the unquoted part (or what follows a closing quote, kept as is)
    let j = i;
    while (j < len) {
      const c = s.charCodeAt(j);
      if (c === delimCode || c === 10) break;
      j++;
    }
    if (j >= len) return INCOMPLETE;
    let to = j;
    if (s.charCodeAt(j) === 10 && to > i && s.charCodeAt(to - 1) === 13) to--;
    field += s.slice(i, to);
    fields.push(field);
    field = '';
    if (s.charCodeAt(j) === 10) {
      rec.fields = fields;
      rec.lines = lines;
      return j + 1;
    }
    i = j + 1;
  }
}
