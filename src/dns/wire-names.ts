// Domain names on the wire (RFC 1035 §3.1, §4.1.4): validation of names in received messages,
// their text form, and compressed writing. Names from the network are hostile until checked:
// every walk is bounded by the message, by 255 octets of name and by strictly backward pointers.

/** RFC 1035 §2.3.4: a name is at most 255 octets on the wire, a label at most 63. */
export const MAX_NAME_WIRE = 255;
export const MAX_LABEL = 63;
/** Names start after the 12-octet header; a pointer into the header is not a name. */
const HEADER_SIZE = 12;
/** 14-bit pointer offsets (RFC 1035 §4.1.4). */
const MAX_POINTER_TARGET = 0x3fff;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

/** Why a name was rejected; a stable word tests and logs can match. */
export type NameProblem =
  | 'name runs past the message'
  | 'name longer than 255 octets'
  | 'compression pointer in question'
  | 'compression pointer not strictly backward'
  | 'extended label type';

/** Result of a name walk: the offset just past the name in the message, or the problem. */
export type NameWalk = number | NameProblem;

/**
 * Walks the name at `off` and returns the offset just past it (after its root label or its
 * first pointer), or the problem. Each pointer must jump strictly below every position the walk
 * has visited and past the header, which rules out loops and forward pointers and bounds the
 * work by the message size.
 */
export function walkName(msg: Uint8Array, off: number, end: number, pointers: boolean): NameWalk {
  let pos = off;
  let lowest = off;
  let next = -1;
  let wire = 0;
  for (;;) {
    if (pos >= end) return 'name runs past the message';
    const len = msg[pos];
    if (len === 0) {
      return next < 0 ? pos + 1 : next;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (!pointers) return 'compression pointer in question';
      if (pos + 1 >= end) return 'name runs past the message';
      const target = ((len & 0x3f) << 8) | msg[pos + 1];
      if (target >= lowest || target < HEADER_SIZE) return 'compression pointer not strictly backward';
      if (next < 0) next = pos + 2;
      lowest = target;
      pos = target;
      continue;
    }
    // 0b01 and 0b10 prefixes (RFC 6891 §5 retired them); 0b00 bounds a label at 63 octets.
    if (kind !== 0) return 'extended label type';
    wire += len + 1;
    if (wire + 1 > MAX_NAME_WIRE) return 'name longer than 255 octets';
    pos += len + 1;
    if (pos > end) return 'name runs past the message';
  }
}

// Text of one name, built in a scratch buffer: at most 255 octets, each escaped to 4 characters.
const scratch = Buffer.alloc(MAX_NAME_WIRE * 4);

/**
 * The text of a name already checked by `walkName`: fully qualified with the trailing dot,
 * `.` and `\` in labels escaped with a backslash and other non-printable octets as `\DDD` (the
 * presentation format of RFC 1035 §5.1, as dig prints it), so distinct names stay distinct.
 * With `lower`, ASCII letters are folded to lower case (DNS names compare case-insensitively,
 * RFC 4343).
 */
export function nameText(msg: Uint8Array, off: number, lower: boolean): string {
  let pos = off;
  let n = 0;
  for (;;) {
    const len = msg[pos];
    if (len === 0) break;
    if ((len & 0xc0) === 0xc0) {
      pos = ((len & 0x3f) << 8) | msg[pos + 1];
      continue;
    }
    const stop = pos + 1 + len;
    for (let i = pos + 1; i < stop; i++) {
      const c = msg[i];
      if (c > 0x20 && c < 0x7f) {
        if (c === DOT || c === BACKSLASH) scratch[n++] = BACKSLASH;
        scratch[n++] = lower && c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
      } else {
        scratch[n++] = BACKSLASH;
        scratch[n++] = 0x30 + Math.floor(c / 100);
        scratch[n++] = 0x30 + (Math.floor(c / 10) % 10);
        scratch[n++] = 0x30 + (c % 10);
      }
    }
    scratch[n++] = DOT;
    pos = stop;
  }
  return n === 0 ? '.' : scratch.toString('latin1', 0, n);
}

/** A record that cannot be written (the zone's data is wrong), or a received message that does not parse. */
export class WireError extends Error {
  constructor(
    readonly code: 'InvalidName' | 'InvalidData' | 'Malformed',
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

// At most this many names are remembered as compression targets per message: beyond it, names
// are written in full. Keeps the suffix search bounded on large answers (gdnsd caps it too).
const MAX_TARGETS = 32;

/**
 * Writes names with compression (RFC 1035 §4.1.4). It remembers the names already in the
 * message as text plus offset, and finds a suffix by comparing text, so writing allocates
 * nothing. Names must be fully qualified lower-case text without escapes, as the zone makes
 * them; matching is then case-insensitive by construction, and a pointer to the question
 * makes the client's own spelling of its name reappear in the answer, as Knot DNS does.
 */
export class NameWriter {
  private readonly texts: string[] = new Array(MAX_TARGETS).fill('');
  private readonly offsets = new Int32Array(MAX_TARGETS);
  /** How much of each remembered text was written as labels (the rest is behind a pointer). */
  private readonly literal = new Int32Array(MAX_TARGETS);
  private count = 0;

  /** Forgets every remembered name (a new message). */
  reset(): void {
    this.count = 0;
  }

  /**
   * Remembers a name already in the message at `offset` written in full as labels, whose text
   * maps octet for octet onto the wire (the question, unless it needed escapes).
   */
  remember(text: string, offset: number): void {
    this.add(text, offset, text.length);
  }

  /**
   * Writes `text` at `off` in `msg` and returns the offset after it. `compress` false writes
   * every label (names in SRV data, RFC 2782), but the name still serves later pointers.
   */
  write(msg: Uint8Array, off: number, text: string, compress: boolean): number {
    if (text === '.') {
      msg[off] = 0;
      return off + 1;
    }
    const length = text.length;
    if (text.charCodeAt(length - 1) !== DOT)
      throw new WireError('InvalidName', `name ${text} is not fully qualified`);
    if (length + 1 > MAX_NAME_WIRE)
      throw new WireError('InvalidName', `name ${text} is longer than 255 octets`);
    const start = off;
    let i = 0;
    while (i < length) {
      if (compress) {
        const target = this.find(text, i);
        if (target >= 0) {
          msg[off] = 0xc0 | (target >> 8);
          msg[off + 1] = target & 0xff;
          this.add(text, start, i);
          return off + 2;
        }
      }
      const dot = text.indexOf('.', i);
      const len = dot - i;
      if (len < 1 || len > MAX_LABEL)
        throw new WireError('InvalidName', `name ${text} has an empty or over-long label`);
      msg[off++] = len;
      for (let k = i; k < dot; k++) {
        const c = text.charCodeAt(k);
        if (c <= 0x20 || c >= 0x7f || c === BACKSLASH) {
          throw new WireError(
            'InvalidName',
            `name ${JSON.stringify(text)} has a character that needs escaping`,
          );
        }
        msg[off++] = c;
      }
      i = dot + 1;
    }
    msg[off++] = 0;
    this.add(text, start, length);
    return off;
  }

  private add(text: string, offset: number, literal: number): void {
    if (literal === 0 || this.count === MAX_TARGETS || offset > MAX_POINTER_TARGET) return;
    this.texts[this.count] = text;
    this.offsets[this.count] = offset;
    this.literal[this.count] = literal;
    this.count++;
  }

  /** The message offset of a remembered name ending with text[i..] at a label boundary, or -1. */
  private find(text: string, i: number): number {
    const len = text.length - i;
    for (let k = 0; k < this.count; k++) {
      const t = this.texts[k];
      const j = t.length - len;
      // The suffix must start at a label boundary inside the part written as labels.
      if (j < 0 || j >= this.literal[k] || (j > 0 && t.charCodeAt(j - 1) !== DOT)) continue;
      // Whole names (the answer owner repeating the question) compare natively.
      const same = i === 0 ? (j === 0 ? t === text : t.endsWith(text)) : sameTail(t, j, text, i, len);
      const target = this.offsets[k] + j;
      if (same && target <= MAX_POINTER_TARGET) return target;
    }
    return -1;
  }
}

function sameTail(a: string, ai: number, b: string, bi: number, len: number): boolean {
  for (let m = 0; m < len; m++) {
    if (a.charCodeAt(ai + m) !== b.charCodeAt(bi + m)) return false;
  }
  return true;
}
