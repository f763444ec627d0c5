// The client's side of the wire format: build a query, decode a whole response into typed
// records. The tests read the server's answers through it, and so can anything in podnet that
// queries a DNS server (the lab's probes, the benchmark).

import { formatIP } from '../ip/index.js';
import { type RData, RR_TYPE_CODES, type RRType } from './types.js';
import { EDNS_DO, FLAG_RD, HEADER_SIZE, TYPE_OPT } from './wire.js';
import { NameWriter, nameText, WireError, walkName } from './wire-names.js';

const TYPE_NAMES = new Map<number, RRType>(Object.entries(RR_TYPE_CODES).map(([k, v]) => [v, k as RRType]));

export interface QueryOptions {
  readonly id?: number;
  /** Recursion desired; default false (`dig +norec`). */
  readonly recursionDesired?: boolean;
  /** Adds an OPT record (RFC 6891) with this payload size and version. */
  readonly edns?: { readonly udpSize: number; readonly version?: number; readonly dnssecOK?: boolean };
}

/** A query for `name` (fully qualified, any case) and `type` (a type or its code), class IN. */
export function encodeQuery(name: string, type: RRType | number, options: QueryOptions = {}): Buffer {
  const out = Buffer.alloc(HEADER_SIZE + 256 + 4 + 11);
  const id = options.id ?? 0;
  out.writeUInt16BE(id, 0);
  out.writeUInt16BE(options.recursionDesired ? FLAG_RD : 0, 2);
  out.writeUInt16BE(1, 4);
  let off = new NameWriter().write(out, HEADER_SIZE, name, false);
  off = out.writeUInt16BE(typeof type === 'number' ? type : RR_TYPE_CODES[type], off);
  off = out.writeUInt16BE(1, off);
  const edns = options.edns;
  if (edns) {
    out.writeUInt16BE(1, 10);
    out[off] = 0;
    off = out.writeUInt16BE(TYPE_OPT, off + 1);
    off = out.writeUInt16BE(edns.udpSize, off);
    out[off] = 0;
    out[off + 1] = edns.version ?? 0;
    off = out.writeUInt16BE(edns.dnssecOK ? EDNS_DO : 0, off + 2);
    off = out.writeUInt16BE(0, off);
  }
  return out.subarray(0, off);
}

export interface DecodedRecord {
  /** Lower case, fully qualified (see `nameText` for escapes). */
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  /** Typed data for the types the cluster DNS serves; undefined for others. */
  readonly data: RData | undefined;
  readonly rdata: Uint8Array;
}

export interface DecodedMessage {
  readonly id: number;
  /** The second header word: QR, opcode, AA, TC, RD, RA, Z, AD, CD and the low RCODE bits. */
  readonly flags: number;
  /** The whole RCODE: the header's four bits plus the OPT record's extended bits. */
  readonly rcode: number;
  readonly question: readonly { readonly name: string; readonly type: number; readonly class: number }[];
  readonly answers: readonly DecodedRecord[];
  readonly authority: readonly DecodedRecord[];
  /** Additional records other than the OPT record. */
  readonly additional: readonly DecodedRecord[];
  readonly edns:
    | { readonly udpSize: number; readonly version: number; readonly dnssecOK: boolean }
    | undefined;
}

/** Decodes a whole message; WireError (`Malformed`) when it does not parse exactly. */
export function decodeMessage(msg: Uint8Array): DecodedMessage {
  if (msg.length < HEADER_SIZE) throw malformed('shorter than a header');
  const r = new Reader(msg);
  const id = r.u16();
  const flags = r.u16();
  const counts = [r.u16(), r.u16(), r.u16(), r.u16()];
  const question = [];
  for (let i = 0; i < counts[0]; i++) {
    question.push({ name: r.name(false), type: r.u16(), class: r.u16() });
  }
  const sections: DecodedRecord[][] = [[], [], []];
  let edns: DecodedMessage['edns'];
  let extended = 0;
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]; i++) {
      const name = r.name(true);
      const type = r.u16();
      const rclass = r.u16();
      const ttl = r.u32();
      const rdEnd = r.u16() + r.off;
      if (rdEnd > msg.length) throw malformed('record data runs past the message');
      const rdata = msg.slice(r.off, rdEnd);
      if (type === TYPE_OPT) {
        edns = { udpSize: rclass, version: (ttl >>> 16) & 0xff, dnssecOK: (ttl & EDNS_DO) !== 0 };
        extended = ttl >>> 24;
        r.off = rdEnd;
        continue;
      }
      const typeName = TYPE_NAMES.get(type);
      const data = typeName ? readData(typeName, r, rdEnd) : undefined;
      if (data && r.off !== rdEnd) throw malformed(`${typeName} data does not fill its RDLENGTH`);
      r.off = rdEnd;
      sections[s].push({ name, type, class: rclass, ttl, data, rdata });
    }
  }
  if (r.off !== msg.length) throw malformed('trailing octets after the last record');
  return {
    id,
    flags,
    rcode: (extended << 4) | (flags & 0xf),
    question,
    answers: sections[0],
    authority: sections[1],
    additional: sections[2],
    edns,
  };
}

function malformed(reason: string): WireError {
  return new WireError('Malformed', reason);
}

/** A bounds-checked cursor over a received message. */
class Reader {
  off = 0;
  constructor(private readonly msg: Uint8Array) {}

  need(n: number): void {
    if (this.off + n > this.msg.length) throw malformed('message ends early');
  }

  u8(): number {
    this.need(1);
    return this.msg[this.off++];
  }

  u16(): number {
    this.need(2);
    const v = (this.msg[this.off] << 8) | this.msg[this.off + 1];
    this.off += 2;
    return v;
  }

  u32(): number {
    return this.u16() * 0x10000 + this.u16();
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    this.off += n;
    return this.msg.subarray(this.off - n, this.off);
  }

  name(lower: boolean): string {
    const next = walkName(this.msg, this.off, this.msg.length, true);
    if (typeof next === 'string') throw malformed(next);
    const text = nameText(this.msg, this.off, lower);
    this.off = next;
    return text;
  }
}

function readData(type: RRType, r: Reader, end: number): RData {
  switch (type) {
    case 'A':
    case 'AAAA': {
      const bytes = r.bytes(end - r.off);
      if (bytes.length !== (type === 'A' ? 4 : 16))
        throw malformed(`${type} data has ${bytes.length} octets`);
      let value = 0n;
      for (const b of bytes) value = (value << 8n) | BigInt(b);
      return { type, address: formatIP({ family: type === 'A' ? 'IPv4' : 'IPv6', value }) };
    }
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { type, target: r.name(true) };
    case 'SRV':
      return { type, priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name(true) };
    case 'TXT': {
      const text: string[] = [];
      while (r.off < end) text.push(Buffer.from(r.bytes(r.u8())).toString('utf8'));
      return { type, text };
    }
    case 'SOA':
      return {
        type,
        mname: r.name(true),
        rname: r.name(true),
        serial: r.u32(),
        refresh: r.u32(),
        retry: r.u32(),
        expire: r.u32(),
        minimum: r.u32(),
      };
  }
}
