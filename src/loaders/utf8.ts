/**
 * UTF-8 decoding for the text loaders, across chunk boundaries, that notices text which is not
 * UTF-8. A fatal decoder would stop the file at the first bad byte; this one reads such bytes as
 * U+FFFD (the file still loads) and reports it once, so a Latin-1 or UTF-16 log does not load
 * with mangled run names and no word about why.
 *
 * An invalid byte and a real U+FFFD in the file (bytes EF BF BD) decode to the same character:
 * a chunk holding more U+FFFD than EF BF BD sequences had invalid bytes. (A sequence split
 * across chunks decodes in the later one; the last two bytes of the previous chunk are kept so
 * that it is still counted there.)
 */

export interface Utf8Decoder {
  /** Decode a piece of the bytes; returns the text it completed. */
  decode(bytes: Uint8Array): string;
  /** The bytes are complete: the rest of the text (a sequence cut at the very end is U+FFFD). */
  end(): string;
  /** Whether any bytes so far were not UTF-8. */
  readonly invalid: boolean;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** EF BF BD sequences in `prev` + `bytes` that end in `bytes`. */
function literalFffd(prev: Uint8Array, bytes: Uint8Array): number {
  const all = prev.length > 0 ? new Uint8Array([...prev, ...bytes.subarray(0, 2)]) : null;
  let n = 0;
  // sequences that start in prev (those that start in bytes are counted below)
  if (all) for (let i = 0; i < prev.length && i + 2 < all.length; i++) if (all[i] === 0xef && all[i + 1] === 0xbf && all[i + 2] === 0xbd) n++;
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
  return n;
}

/** `onInvalid` is called once, when the first invalid bytes are seen. */
export function createUtf8Decoder(onInvalid: () => void): Utf8Decoder {
  const decoder = new TextDecoder('utf-8');
  let invalid = false;
  let prev = new Uint8Array(0);
  const check = (text: string, bytes: Uint8Array) => {
    // the common case (no U+FFFD at all) costs one indexOf
    if (!invalid && text.indexOf('\uFFFD') >= 0 && count(text, '\uFFFD') > literalFffd(prev, bytes)) {
      invalid = true;
      onInvalid();
    }
    // the last two bytes of the stream so far (a chunk may be shorter than that)
    prev = bytes.length >= 2 ? bytes.slice(bytes.length - 2) : new Uint8Array([...prev, ...bytes]).slice(-2);
  };
  return {
    decode(bytes) {
      const text = decoder.decode(bytes, { stream: true });
      check(text, bytes);
      return text;
    },
    end() {
      const text = decoder.decode();
      check(text, new Uint8Array(0));
      return text;
    },
    get invalid() {
      return invalid;
    },
  };
}
