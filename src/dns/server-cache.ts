// Encoded answers, kept per question so a repeated query costs a map get and a copy instead of a
// zone lookup and an encode. An answer from the zone depends only on the question and on the
// query's header fields the encoder reads; the cache keys on exactly those, and patches the rest
// (ID, RD and the spelling of the question name) into the copy it hands out, so a cached response
// is byte for byte what encoding would give.

import type { EDNS, Question } from './wire.js';
import { FLAG_RD, HEADER_SIZE } from './wire.js';

/** Answers kept at most, and their total size (names, responses and a fixed overhead each). */
export interface CacheLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/**
 * 10,000 answers: every Service name of a large cluster in the forms clients ask for it (A, AAAA,
 * SRV, with and without EDNS). 16 MiB bounds the memory whatever the answers' sizes: it holds
 * 10,000 full UDP answers (1232 octets), or 256 of the largest TCP ones (64 KiB).
 */
export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 };

/**
 * What, besides the name, picks a query's answer from the zone, packed in one number (51 bits, exact
 * in a double): type and class; whether the query had EDNS, its DO bit and whether its version is
 * 0 (the OPT record and the rcode depend on them, never on the version's value); and the size
 * limit, the client's EDNS size capped by the server (512 without EDNS, 65535 over TCP), which
 * decides truncation.
 */
export function answerVariant(question: Question, edns: EDNS | undefined, limit: number): number {
  const ednsBits = edns ? 4 | (edns.dnssecOK ? 2 : 0) | (edns.version === 0 ? 0 : 1) : 0;
  return ((question.type * 0x10000 + question.qclass) * 8 + ednsBits) * 0x10000 + limit;
}

interface Entry {
  readonly variant: number;
  readonly response: Buffer;
}

// What an entry costs beyond its octets: the object, its slot and its Buffer, roughly.
const ENTRY_OVERHEAD = 64;
/**
 * Variants kept per name, the newest 32: clients ask a name in a few forms (A, AAAA, SRV, with and
 * without EDNS), and a hit scans the name's list, which one client asking one name with every
 * type code must not lengthen.
 */
const MAX_VARIANTS = 32;

/**
 * Encoded answers by question name and variant, emptied whenever the zone they came from is
 * replaced (a zone object answers the same question the same way for its whole life; a change
 * comes as a new object). The name is the question's lower-cased text: every spelling of a name
 * shares its answers, whose question octets are then copied from the query, so DNS 0x20 case
 * randomisation does not multiply the entries. A name's few variants sit in a small list behind
 * one map key, which keeps the key the flat string the decoder made (a composite string key costs
 * a third of a hit in flattening and hashing).
 *
 * When full, the names inserted first go first: insertion order is what a Map keeps anyway, so
 * eviction is O(1) and a hit costs nothing beyond the lookup, where LRU would re-insert on every
 * hit. A flood of distinct names (random subdomains) then cycles through the cache and pushes
 * popular names out; each comes back on its next miss, so the worst case is the uncached cost, and
 * memory never exceeds the limits.
 */
export class AnswerCache {
  private readonly names = new Map<string, Entry[]>();
  private entries = 0;
  private bytes = 0;
  private zone: unknown;

  constructor(private readonly limits: CacheLimits = DEFAULT_CACHE_LIMITS) {}

  /** Answers held. */
  get size(): number {
    return this.entries;
  }

  /** Empties the cache when `zone` is not the zone its answers came from. */
  useZone(zone: unknown): void {
    if (zone === this.zone) return;
    this.zone = zone;
    this.names.clear();
    this.entries = 0;
    this.bytes = 0;
  }

  get(name: string, variant: number): Buffer | undefined {
    const list = this.names.get(name);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) if (list[i].variant === variant) return list[i].response;
    return undefined;
  }

  /** Keeps a copy of `response` (a message without TCP length prefix) for the name and variant, its ID zeroed. */
  put(name: string, variant: number, response: Uint8Array): void {
    const { maxEntries, maxBytes } = this.limits;
    const cost = ENTRY_OVERHEAD + name.length + response.length;
    if (maxEntries < 1 || cost > maxBytes || this.get(name, variant)) return;
    const variants = this.names.get(name);
    if (variants && variants.length >= MAX_VARIANTS) this.forget(name, variants.shift() as Entry);
    for (const [oldName, old] of this.names) {
      if (this.entries < maxEntries && this.bytes + cost <= maxBytes) break;
      this.names.delete(oldName);
      for (const e of old) this.forget(oldName, e);
    }
    // A buffer of its own: a slice of Node's shared pool would keep a whole 8 KiB slab alive.
    const copy = Buffer.allocUnsafeSlow(response.length);
    copy.set(response);
    copy[0] = 0;
    copy[1] = 0;
    const list = this.names.get(name);
    if (list) list.push({ variant, response: copy });
    else this.names.set(name, [{ variant, response: copy }]);
    this.entries++;
    this.bytes += cost;
  }

  private forget(name: string, entry: Entry): void {
    this.entries--;
    this.bytes -= ENTRY_OVERHEAD + name.length + entry.response.length;
  }
}

/**
 * The response to `msg` from a cached one: the cached octets with the query's ID, its RD bit
 * (RFC 1035 §4.1.1: copied into the response) and its question octets, which differ from the
 * cached ones at most in letter case. Answer names that repeat the question are compression
 * pointers to it, so they follow the client's spelling too, as an encoded answer does. With
 * `prefix` 2 the message comes after a 2-octet length (TCP).
 */
export function cachedResponse(cached: Buffer, msg: Uint8Array, questionEnd: number, prefix: 0 | 2): Buffer {
  const out = Buffer.allocUnsafe(prefix + cached.length);
  if (prefix) out.writeUInt16BE(cached.length, 0);
  cached.copy(out, prefix);
  out[prefix] = msg[0];
  out[prefix + 1] = msg[1];
  const rd = FLAG_RD >> 8;
  out[prefix + 2] = (cached[2] & ~rd) | (msg[2] & rd);
  out.set(msg.subarray(HEADER_SIZE, questionEnd), prefix + HEADER_SIZE);
  return out;
}
