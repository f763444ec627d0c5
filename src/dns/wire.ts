// The server's side of the DNS wire format (RFC 1035 §4, EDNS0 RFC 6891): decode a query's
// header, question and OPT record, and encode a response into one reusable buffer. Only what
// answering needs is decoded, and the hot path allocates little: a handful of small objects per
// query, none per record written.

import { parseIP } from '../ip/index.js';
import { type Rcode, type RData, type ResourceRecord, RR_TYPE_CODES } from './types.js';
import { NameWriter, nameText, WireError, walkName } from './wire-names.js';

export const HEADER_SIZE = 12;
/** RFC 1035 §4.2.1: the UDP limit without EDNS, and the floor of an advertised EDNS size. */
export const MIN_UDP_PAYLOAD = 512;
/** The largest message: TCP frames carry a 16-bit length (RFC 1035 §4.2.2). */
export const MAX_MESSAGE = 65535;
/**
 * The EDNS UDP payload size the server offers and the most it sends over UDP: 1232 octets, the
 * DNS Flag Day 2020 value, which avoids IP fragmentation (Knot DNS's udp-max-payload default).
 */
export const DEFAULT_UDP_PAYLOAD = 1232;

export const CLASS_IN = 1;
export const CLASS_ANY = 255;
export const TYPE_OPT = 41;
export const TYPE_IXFR = 251;
export const TYPE_AXFR = 252;

/** Response codes; BADVERS (RFC 6891 §6.1.3) needs the extended bits of the OPT record. */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const satisfies Record<Rcode | 'BADVERS', number>;

// Header flag bits of the second 16-bit word (RFC 1035 §4.1.1).
export const FLAG_QR = 0x8000;
export const OPCODE_MASK = 0x7800;
export const FLAG_AA = 0x0400;
export const FLAG_TC = 0x0200;
export const FLAG_RD = 0x0100;
export const FLAG_RA = 0x0080;
/** The DO bit in the OPT record's TTL field (RFC 3225). */
export const EDNS_DO = 0x8000;
/** An OPT record without options: root name, type, class, TTL, RDLENGTH. */
const OPT_SIZE = 11;

export interface EDNS {
  /** The requestor's UDP payload size, as sent. */
  readonly udpSize: number;
  readonly version: number;
  readonly dnssecOK: boolean;
}

export interface Question {
  /** Lookup key: lower case, fully qualified, escaped as dig prints it (see `nameText`). */
  readonly name: string;
  readonly type: number;
  readonly qclass: number;
  /** Offset just past the question in the query; a response copies octets 12..end verbatim. */
  readonly end: number;
}

export interface QueryHeader {
  readonly id: number;
  /** The query's second header word; a response copies its opcode and RD. */
  readonly flags: number;
  /** Absent when the question itself is unusable (a response then has none either). */
  readonly question: Question | undefined;
  readonly edns: EDNS | undefined;
}

export type Decoded =
  | { readonly kind: 'query'; readonly query: QueryHeader & { readonly question: Question } }
  | {
      readonly kind: 'error';
      readonly rcode: 'FORMERR' | 'NOTIMP';
      readonly query: QueryHeader;
      readonly reason: string;
    }
  | { readonly kind: 'drop'; readonly reason: string };

function u16(msg: Uint8Array, off: number): number {
  return (msg[off] << 8) | msg[off + 1];
}

/**
 * Decodes a query as Knot DNS treats it: no response to what is not a query (shorter than a
 * header, or QR set: answering responses invites loops); NOTIMP for an opcode other than QUERY;
 * FORMERR for anything else that does not parse exactly: a question count other than one, a
 * compressed or malformed question name, records running past the message, an OPT record that is
 * not the single root-owned one of the additional section or whose options overrun it, and
 * trailing octets. Records of the answer, authority and additional sections are walked (names,
 * lengths) but not kept.
 */
export function decodeQuery(msg: Uint8Array): Decoded {
  const end = msg.length;
  if (end < HEADER_SIZE) return { kind: 'drop', reason: 'shorter than a header' };
  const id = u16(msg, 0);
  const flags = u16(msg, 2);
  if (flags & FLAG_QR) return { kind: 'drop', reason: 'a response, not a query' };
  // Unknown opcodes need not share the query layout (RFC 8906 §3.1.4): read nothing further.
  if (flags & OPCODE_MASK) return fail('NOTIMP', id, flags, undefined, 'opcode is not QUERY');
  if (u16(msg, 4) !== 1) return fail('FORMERR', id, flags, undefined, 'question count is not 1');

  const nameEnd = walkName(msg, HEADER_SIZE, end, false);
  if (typeof nameEnd === 'string') return fail('FORMERR', id, flags, undefined, nameEnd);
  if (nameEnd + 4 > end) return fail('FORMERR', id, flags, undefined, 'question runs past the message');
  const question: Question = {
    name: nameText(msg, HEADER_SIZE, true),
    type: u16(msg, nameEnd),
    qclass: u16(msg, nameEnd + 2),
    end: nameEnd + 4,
  };

  const answers = u16(msg, 6);
  const authority = u16(msg, 8);
  const records = answers + authority + u16(msg, 10);
  let off = question.end;
  let edns: EDNS | undefined;
  for (let r = 0; r < records; r++) {
    const ownerEnd = walkName(msg, off, end, true);
    if (typeof ownerEnd === 'string') return fail('FORMERR', id, flags, question, ownerEnd);
    if (ownerEnd + 10 > end) return fail('FORMERR', id, flags, question, 'record runs past the message');
    const type = u16(msg, ownerEnd);
    const rdStart = ownerEnd + 10;
    const rdEnd = rdStart + u16(msg, ownerEnd + 8);
    if (rdEnd > end) return fail('FORMERR', id, flags, question, 'record data runs past the message');
    if (type === TYPE_OPT) {
      const problem = optProblem(
        msg,
        r < answers + authority,
        edns !== undefined,
        ownerEnd === off + 1,
        rdStart,
        rdEnd,
      );
      if (problem) return fail('FORMERR', id, flags, question, problem);
      edns = {
        udpSize: u16(msg, ownerEnd + 2),
        version: msg[ownerEnd + 5],
        dnssecOK: (u16(msg, ownerEnd + 6) & EDNS_DO) !== 0,
      };
    }
    off = rdEnd;
  }
  if (off !== end) return fail('FORMERR', id, flags, question, 'trailing octets after the last record');
  return { kind: 'query', query: { id, flags, question, edns } };
}

/** RFC 6891 §6.1.1-2: one OPT record, in the additional section, owned by the root, options within it. */
function optProblem(
  msg: Uint8Array,
  outsideAdditional: boolean,
  seen: boolean,
  rootOwned: boolean,
  start: number,
  end: number,
): string | undefined {
  if (outsideAdditional) return 'OPT record outside the additional section';
  if (seen) return 'more than one OPT record';
  if (!rootOwned) return 'OPT record not owned by the root';
  for (let o = start; o < end; o += 4 + u16(msg, o + 2)) {
    if (o + 4 > end || o + 4 + u16(msg, o + 2) > end) return 'EDNS option runs past the OPT record';
  }
  return undefined;
}

function fail(
  rcode: 'FORMERR' | 'NOTIMP',
  id: number,
  flags: number,
  question: Question | undefined,
  reason: string,
): Decoded {
  // A FORMERR response has no OPT record: the OPT record may be what was wrong.
  return { kind: 'error', rcode, query: { id, flags, question, edns: undefined }, reason };
}

/** What a response says, independent of the wire. */
export interface Reply {
  /** An RCODE value; above 15 only with EDNS (the extended bits live in the OPT record). */
  readonly rcode: number;
  readonly authoritative: boolean;
  readonly recursionAvailable: boolean;
  readonly answers: readonly ResourceRecord[];
  readonly authority: readonly ResourceRecord[];
  readonly additional: readonly ResourceRecord[];
}

/** The UDP response limit for a query: its EDNS size, at least 512, at most `max` (RFC 6891 §6.2.5). */
export function udpLimit(edns: EDNS | undefined, max: number): number {
  if (!edns) return MIN_UDP_PAYLOAD;
  return Math.min(Math.max(edns.udpSize, MIN_UDP_PAYLOAD), max);
}

/**
 * Encodes responses into one buffer, reused from message to message: the caller copies the
 * octets out (`buffer.subarray(0, length)`) before encoding the next one.
 */
export class ResponseEncoder {
  // Room for a whole TCP message plus the record that overflows it: writes past the limit are
  // measured, then undone.
  readonly buffer = Buffer.alloc(2 * (MAX_MESSAGE + 1));
  private readonly names = new NameWriter();

  /** @param udpPayload the UDP payload size advertised in the OPT record. */
  constructor(readonly udpPayload: number = DEFAULT_UDP_PAYLOAD) {}

  /**
   * Writes the response to `query` (its octets `msg`, decoded as `head`) and returns its length.
   * The header copies ID, opcode and RD; CD and AD stay clear (the server does not validate,
   * like Knot DNS). The question is copied verbatim, so the client sees its own case. The answer
   * and authority sections must fit in `limit` octets, else the response is the header,
   * question and OPT record with TC set (RFC 2181 §9: a client ignores a truncated answer and
   * retries over TCP; Knot DNS sends no partial answer either). Additional records are added
   * while whole RRsets fit, and dropping them does not set TC (RFC 2181 §9). An OPT record is
   * added when the query had one (RFC 6891 §7). Throws WireError when a record cannot be encoded.
   */
  encode(msg: Uint8Array, head: QueryHeader, reply: Reply, limit: number): number {
    const out = this.buffer;
    const names = this.names;
    names.reset();
    const question = head.question;
    const edns = head.edns;
    const qend = question ? question.end : HEADER_SIZE;
    const rcode = reply.rcode > 15 && !edns ? RCODE.SERVFAIL : reply.rcode;
    let flags =
      FLAG_QR |
      (head.flags & (OPCODE_MASK | FLAG_RD)) |
      (reply.authoritative ? FLAG_AA : 0) |
      (reply.recursionAvailable ? FLAG_RA : 0) |
      (rcode & 0xf);
    if (question) {
      out.set(msg.subarray(HEADER_SIZE, qend), HEADER_SIZE);
      // The key maps octet for octet onto the wire unless it needed escapes.
      if (question.name.length === qend - 4 - HEADER_SIZE - 1) names.remember(question.name, HEADER_SIZE);
    }
    const room = limit - (edns ? OPT_SIZE : 0);
    let off = qend;
    let ancount = reply.answers.length;
    let nscount = reply.authority.length;
    let arcount = 0;
    off = this.section(reply.answers, off, room);
    if (off >= 0) off = this.section(reply.authority, off, room);
    if (off < 0) {
      off = qend;
      ancount = 0;
      nscount = 0;
      flags |= FLAG_TC;
    } else {
      const additional = reply.additional;
      let setStart = off;
      let setCount = 0;
      for (let i = 0; i < additional.length; i++) {
        const rr = additional[i];
        if (i > 0 && (rr.name !== additional[i - 1].name || rr.data.type !== additional[i - 1].data.type)) {
          setStart = off;
          setCount = i;
        }
        const next = this.record(rr, off);
        if (next > room) {
          off = setStart;
          arcount = setCount;
          break;
        }
        off = next;
        arcount = i + 1;
      }
    }
    if (edns) {
      out[off] = 0;
      put16(out, off + 1, TYPE_OPT);
      put16(out, off + 3, this.udpPayload);
      out[off + 5] = rcode >> 4;
      out[off + 6] = 0; // VERSION: 0 is the only one implemented (RFC 6891 §6.1.3)
      put16(out, off + 7, edns.dnssecOK ? EDNS_DO : 0);
      put16(out, off + 9, 0);
      off += OPT_SIZE;
      arcount++;
    }
    put16(out, 0, head.id);
    put16(out, 2, flags);
    put16(out, 4, question ? 1 : 0);
    put16(out, 6, ancount);
    put16(out, 8, nscount);
    put16(out, 10, arcount);
    return off;
  }

  /** Writes every record of a section from `off`; -1 when they do not all fit below `room`. */
  private section(records: readonly ResourceRecord[], off: number, room: number): number {
    for (let i = 0; i < records.length; i++) {
      off = this.record(records[i], off);
      if (off > room) return -1;
    }
    return off;
  }

  /** Writes one record at `off` and returns the offset after it (past the buffer when it overflows). */
  private record(rr: ResourceRecord, off: number): number {
    const out = this.buffer;
    if (off > MAX_MESSAGE) return off;
    const data = rr.data;
    off = this.names.write(out, off, rr.name, true);
    put16(out, off, RR_TYPE_CODES[data.type]);
    put16(out, off + 2, CLASS_IN);
    put32(out, off + 4, rr.ttl, 'TTL');
    const start = off + 10;
    const end = this.rdata(data, start);
    put16(out, off + 8, end - start);
    return end;
  }

  private rdata(data: RData, off: number): number {
    const out = this.buffer;
    const names = this.names;
    switch (data.type) {
      case 'A':
      case 'AAAA': {
        const ip = parseIP(data.address);
        if (!ip || ip.family !== (data.type === 'A' ? 'IPv4' : 'IPv6')) {
          throw new WireError(
            'InvalidData',
            `${data.type} record with address ${JSON.stringify(data.address)}`,
          );
        }
        if (ip.family === 'IPv4') {
          put32(out, off, Number(ip.value), 'address');
          return off + 4;
        }
        for (let k = 0; k < 4; k++)
          put32(out, off + 4 * k, Number(BigInt.asUintN(32, ip.value >> BigInt(96 - 32 * k))), 'address');
        return off + 16;
      }
      case 'CNAME':
      case 'NS':
      case 'PTR':
        return names.write(out, off, data.target, true);
      case 'SRV':
        put16(out, off, checked16(data.priority, 'SRV priority'));
        put16(out, off + 2, checked16(data.weight, 'SRV weight'));
        put16(out, off + 4, checked16(data.port, 'SRV port'));
        // RFC 2782: the target is never compressed.
        return names.write(out, off + 6, data.target, false);
      case 'TXT':
        for (const text of data.text) {
          const n = Buffer.byteLength(text);
          if (n > 255) throw new WireError('InvalidData', 'TXT string longer than 255 octets');
          if (off + 1 + n > out.length) return out.length;
          out[off] = n;
          out.write(text, off + 1, n);
          off += 1 + n;
        }
        return off;
      case 'SOA':
        off = names.write(out, off, data.mname, true);
        off = names.write(out, off, data.rname, true);
        put32(out, off, data.serial, 'SOA serial');
        put32(out, off + 4, data.refresh, 'SOA refresh');
        put32(out, off + 8, data.retry, 'SOA retry');
        put32(out, off + 12, data.expire, 'SOA expire');
        put32(out, off + 16, data.minimum, 'SOA minimum');
        return off + 20;
    }
  }
}

// Index writes into a Uint8Array past its end are dropped, never thrown: an overflowing record
// is written as far as the buffer goes, then measured and undone.
function put16(out: Uint8Array, off: number, v: number): void {
  out[off] = v >> 8;
  out[off + 1] = v;
}

function put32(out: Uint8Array, off: number, v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new WireError('InvalidData', `${what} ${v} is not a 32-bit unsigned integer`);
  out[off] = v >>> 24;
  out[off + 1] = v >>> 16;
  out[off + 2] = v >>> 8;
  out[off + 3] = v;
}

function checked16(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff)
    throw new WireError('InvalidData', `${what} ${v} is not a 16-bit unsigned integer`);
  return v;
}
