/**
 * Shortening run names for narrow places (tooltip rows). Run names share their starts
 * (`track_1_short/2024-10-...`) and differ in the middle and at the end (a hash, `/train` or
 * `/eval`), so a name cut at the end hides exactly what tells runs apart: cut in the middle.
 */

/**
 * `s` at most `max` characters long (code points, so an emoji is never split): the start and the
 * end kept, an ellipsis between. The end gets a third of the room: a short hash and a subset
 * name (`a3f9/train`); the start the rest, where names branch into record and date. Shorter strings come back as they are.
 */
export function elideMiddle(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  if (max <= 1) return '…';
  const room = max - 1;
  const tail = Math.max(1, Math.floor(room / 3));
  const head = room - tail;
  return chars.slice(0, head).join('') + '…' + chars.slice(chars.length - tail).join('');
}
