// IP addresses and CIDRs for both families. An address is its family plus its value as an
// unsigned bigint (32 or 128 bits), so nothing downstream does 32-bit arithmetic by accident.
// Parsing is strict in the way new Kubernetes objects are validated (no IPv4 leading zeros,
// no zones); formatting is canonical (RFC 5952), so formatted strings can be compared.

export type IPFamily = 'IPv4' | 'IPv6';

export interface IP {
  readonly family: IPFamily;
  /** The address as an unsigned integer: 32 bits for IPv4, 128 bits for IPv6. */
  readonly value: bigint;
}

export interface CIDR {
  readonly family: IPFamily;
  /** The network address: host bits are zero. */
  readonly base: bigint;
  readonly prefix: number;
}

// Small bigints and powers of two, built once: sizes, masks and shifts are on the allocation
// hot path and would otherwise construct a bigint per call.
const BIG: readonly bigint[] = Array.from({ length: 129 }, (_, i) => BigInt(i));
const POW2: readonly bigint[] = BIG.map((i) => 1n << i);

// The longest valid textual forms: "255.255.255.255" and
// "0000:0000:0000:0000:0000:0000:255.255.255.255". Anything longer is rejected before scanning,
// which keeps hostile inputs cheap.
const MAX_IPV4_LEN = 15;
const MAX_IP_LEN = 45;

const DOT = 46;
const COLON = 58;

export function bits(family: IPFamily): 32 | 128 {
  return family === 'IPv4' ? 32 : 128;
}

/** Builds an IP from a value; RangeError if it does not fit the family. */
export function makeIP(family: IPFamily, value: bigint): IP {
  if (value < 0n || value >= POW2[bits(family)]) {
    throw new RangeError(`${value} is not a valid ${family} value`);
  }
  return { family, value };
}

export function ipEqual(a: IP, b: IP): boolean {
  return a.family === b.family && a.value === b.value;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses a dotted quad in s[start, end) to its 32-bit value, or -1. No leading zeros. */
function parseIPv4(s: string, start: number, end: number): number {
  let value = 0;
  let octets = 0;
  let i = start;
  for (;;) {
    let octet = 0;
    let digits = 0;
    while (i < end) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      // "01" is ambiguous (octal in inet_aton), so Kubernetes rejects it in new objects.
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + d;
      if (octet > 255) return -1;
      digits++;
      i++;
    }
    if (digits === 0) return -1;
    // Multiplication rather than << keeps the value unsigned.
    value = value * 256 + octet;
    octets++;
    if (i === end) return octets === 4 ? value : -1;
    if (octets === 4 || s.charCodeAt(i) !== DOT) return -1;
    i++;
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Parse scratch: parsing is synchronous, so one buffer serves every call without allocating.
const groups = new Uint16Array(8);

/** Parses an IPv6 address (with '::' and an optional trailing dotted quad) or returns undefined. */
function parseIPv6(s: string): bigint | undefined {
  const end = s.length;
  let n = 0; // groups parsed
  let gap = -1; // group index where '::' stands, if any
  let i = 0;
  if (end >= 2 && s.charCodeAt(0) === COLON && s.charCodeAt(1) === COLON) {
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (n === 8) return undefined;
    let v = 0;
    let j = i;
    while (j < end && j - i < 4) {
      const h = hexDigit(s.charCodeAt(j));
      if (h < 0) break;
      v = v * 16 + h;
      j++;
    }
    // An empty group: a leading ':', ':::' or a second ':' after '::'.
    if (j === i) return undefined;
    if (j < end && s.charCodeAt(j) === DOT) {
      // An embedded IPv4 address is always the final 32 bits.
      if (n > 6) return undefined;
      const v4 = parseIPv4(s, i, end);
      if (v4 < 0) return undefined;
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      break;
    }
    groups[n++] = v;
    if (j === end) break;
    // Also catches a fifth hex digit.
    if (s.charCodeAt(j) !== COLON) return undefined;
    j++;
    if (j < end && s.charCodeAt(j) === COLON) {
      if (gap >= 0) return undefined;
      gap = n;
      j++;
    } else if (j === end) {
      return undefined; // a trailing single ':'
    }
    i = j;
  }
  // Without '::' all eight groups are spelled out; with it, '::' stands for at least one.
  if (gap < 0 ? n !== 8 : n > 7) return undefined;
  if (gap < 0) gap = n;
  const zeros = 8 - n;
  let value = 0n;
  for (let k = 0; k < 8; k += 2) {
    const hi = k < gap ? groups[k] : k < gap + zeros ? 0 : groups[k - zeros];
    const lo = k + 1 < gap ? groups[k + 1] : k + 1 < gap + zeros ? 0 : groups[k + 1 - zeros];
    value = (value << 32n) | BigInt(hi * 0x10000 + lo);
  }
  return value;
}

/**
 * Parses an IPv4 dotted quad (no leading zeros) or an IPv6 address ('::' compression and a trailing
 * dotted quad allowed; no zone, no brackets). The family is the syntax's: "::ffff:1.2.3.4" is IPv6.
 */
export function parseIP(s: string): IP | undefined {
  const len = s.length;
  if (len === 0 || len > MAX_IP_LEN) return undefined;
  if (s.indexOf(':') < 0) {
    if (len > MAX_IPV4_LEN) return undefined;
    const v = parseIPv4(s, 0, len);
    return v < 0 ? undefined : { family: 'IPv4', value: BigInt(v) };
  }
  const v = parseIPv6(s);
  return v === undefined ? undefined : { family: 'IPv6', value: v };
}

/** The family of a valid address string, else undefined. */
export function ipFamilyOf(s: string): IPFamily | undefined {
  return parseIP(s)?.family;
}

// ---------------------------------------------------------------------------------------------
// Formatting

function formatIPv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

function formatIPv6(value: bigint): string {
  const g = groups;
  for (let k = 0; k < 4; k++) {
    const w = Number(BigInt.asUintN(32, value >> BIG[96 - 32 * k]));
    g[2 * k] = w >>> 16;
    g[2 * k + 1] = w & 0xffff;
  }
  // IPv4-mapped addresses keep the mixed notation (RFC 5952 section 5; Go's netip does the same).
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIPv4(g[6] * 0x10000 + g[7])}`;
  }
  // The longest run of two or more zero groups is compressed; the first one wins a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (g[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && g[e] === 0) e++;
    if (e - k > bestLen) {
      bestStart = k;
      bestLen = e - k;
    }
    k = e;
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += g[k].toString(16);
  }
  return out;
}

/** Dotted quad for IPv4; RFC 5952 canonical text for IPv6. */
export function formatIP(ip: IP): string {
  return ip.family === 'IPv4' ? formatIPv4(Number(ip.value)) : formatIPv6(ip.value);
}

/** A cheap key for maps and sets, distinct across families. Not meant for display. */
export function ipKey(ip: IP): string {
  return (ip.family === 'IPv4' ? '4/' : '6/') + ip.value.toString(16);
}

/** IPv4 sorts before IPv6; within a family, numerically. */
export function compareIP(a: IP, b: IP): number {
  if (a.family !== b.family) return a.family === 'IPv4' ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** Is this ::ffff:a.b.c.d? Kubernetes treats these as IPv4 in legacy fields, so callers may care. */
export function isIPv4Mapped(ip: IP): boolean {
  return ip.family === 'IPv6' && ip.value >> 32n === 0xffffn;
}

/** The PTR owner name: "4.3.2.1.in-addr.arpa." or the 32-nibble "....ip6.arpa." form. */
export function reverseName(ip: IP): string {
  if (ip.family === 'IPv4') {
    const v = Number(ip.value);
    return `${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}.${v >>> 24}.in-addr.arpa.`;
  }
  const hex = ip.value.toString(16).padStart(32, '0');
  let out = '';
  for (let i = 31; i >= 0; i--) out += `${hex[i]}.`;
  return `${out}ip6.arpa.`;
}

// ---------------------------------------------------------------------------------------------
// CIDRs

function checkPrefix(family: IPFamily, prefix: number, min = 0): void {
  if (!Number.isInteger(prefix) || prefix < min || prefix > bits(family)) {
    throw new RangeError(`prefix ${prefix} is out of range [${min}, ${bits(family)}] for ${family}`);
  }
}

/** The CIDR of the given prefix length that contains ip (host bits cleared). */
export function cidrOf(ip: IP, prefix: number): CIDR {
  checkPrefix(ip.family, prefix);
  const host = BIG[bits(ip.family) - prefix];
  return { family: ip.family, base: (ip.value >> host) << host, prefix };
}

/** Splits "addr/len" with a strict length: decimal, no sign, no leading zeros. */
function parsePrefixed(s: string): { ip: IP; prefix: number } | undefined {
  // The longest address plus "/128".
  if (s.length > MAX_IP_LEN + 4) return undefined;
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  if (ip === undefined) return undefined;
  const len = s.length - slash - 1;
  if (len < 1 || len > 3) return undefined;
  let prefix = 0;
  for (let i = slash + 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    prefix = prefix * 10 + d;
  }
  if (len > 1 && s.charCodeAt(slash + 1) === 48) return undefined;
  if (prefix > bits(ip.family)) return undefined;
  return { ip, prefix };
}

/**
 * Parses "10.244.0.0/16" or "fd00:10:244::/56". Host bits must be zero, as Kubernetes requires of
 * service and pod CIDRs; use parseCIDRLoose to accept "10.244.1.7/16" as 10.244.0.0/16.
 */
export function parseCIDR(s: string): CIDR | undefined {
  const p = parsePrefixed(s);
  if (p === undefined) return undefined;
  const c = cidrOf(p.ip, p.prefix);
  return c.base === p.ip.value ? c : undefined;
}

/** Like parseCIDR, but clears host bits instead of rejecting them (as Go's net.ParseCIDR does). */
export function parseCIDRLoose(s: string): CIDR | undefined {
  const p = parsePrefixed(s);
  return p === undefined ? undefined : cidrOf(p.ip, p.prefix);
}

export function formatCIDR(c: CIDR): string {
  return `${formatIP({ family: c.family, value: c.base })}/${c.prefix}`;
}

/** The number of addresses in c. */
export function cidrSize(c: CIDR): bigint {
  return POW2[bits(c.family) - c.prefix];
}

/** The last address in c (the IPv4 broadcast address). */
export function cidrLast(c: CIDR): IP {
  return { family: c.family, value: c.base + POW2[bits(c.family) - c.prefix] - 1n };
}

/** Does c contain ip? False when the families differ. */
export function cidrContains(c: CIDR, ip: IP): boolean {
  if (c.family !== ip.family) return false;
  const host = BIG[bits(c.family) - c.prefix];
  return ip.value >> host === c.base >> host;
}

/** Do a and b share an address? For CIDRs that means one contains the other. */
export function cidrOverlaps(a: CIDR, b: CIDR): boolean {
  if (a.family !== b.family) return false;
  const host = BIG[bits(a.family) - Math.min(a.prefix, b.prefix)];
  return a.base >> host === b.base >> host;
}

function toBigInt(n: bigint | number): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not a safe integer`);
  return BigInt(n);
}

/** The address at offset n in c (base + n); RangeError unless 0 <= n < cidrSize(c). */
export function nthAddress(c: CIDR, n: bigint | number): IP {
  const i = toBigInt(n);
  if (i < 0n || i >= POW2[bits(c.family) - c.prefix]) {
    throw new RangeError(`offset ${i} is outside ${formatCIDR(c)}`);
  }
  return { family: c.family, value: c.base + i };
}

/** The offset of ip in c (ip - base). Containment is the caller's check; a family mismatch throws. */
export function addressIndex(c: CIDR, ip: IP): bigint {
  if (c.family !== ip.family) throw new RangeError(`${ip.family} address in ${c.family} CIDR`);
  return ip.value - c.base;
}

/** How many /newPrefix subnets c holds; RangeError if newPrefix is shorter than c's or too long. */
export function subnetCount(c: CIDR, newPrefix: number): bigint {
  checkPrefix(c.family, newPrefix, c.prefix);
  return POW2[newPrefix - c.prefix];
}

/** The index-th /newPrefix subnet of c, e.g. 10.244.0.0/16 -> /24 index 2 = 10.244.2.0/24. */
export function subnet(c: CIDR, newPrefix: number, index: bigint | number): CIDR {
  const count = subnetCount(c, newPrefix);
  const i = toBigInt(index);
  if (i < 0n || i >= count) throw new RangeError(`subnet index ${i} is outside [0, ${count})`);
  return { family: c.family, base: c.base + (i << BIG[bits(c.family) - newPrefix]), prefix: newPrefix };
}

/**
 * Parses an address pool as MetalLB writes them: "172.18.255.200-172.18.255.250" (spaces around the
 * dash allowed; same family; first <= last) or a CIDR meaning its whole range (host bits cleared,
 * as MetalLB's net.ParseCIDR does).
 */
export function parseIPRange(s: string): { first: IP; last: IP } | undefined {
  const dash = s.indexOf('-');
  if (dash < 0) {
    const c = parseCIDRLoose(s);
    return c === undefined ? undefined : { first: { family: c.family, value: c.base }, last: cidrLast(c) };
  }
  const first = parseIP(s.slice(0, dash).trim());
  const last = parseIP(s.slice(dash + 1).trim());
  if (first === undefined || last === undefined) return undefined;
  if (first.family !== last.family || first.value > last.value) return undefined;
  return { first, last };
}

// ---------------------------------------------------------------------------------------------
// Allocation

// Up to 2^24 offsets (a /8, or any service CIDR Kubernetes allows) a bitmap costs at most 2 MiB;
// beyond that (IPv6 ranges) only the used offsets are stored.
const BITMAP_LIMIT = 1 << 24;
const FULL = 0xffffffff;

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Tracks used offsets in [0, size) of a range (a CIDR, a service range, a port range).
 * Offsets are accepted as number or bigint and returned as bigint, so IPv6 ranges work unchanged.
 * Out-of-range offsets: has() answers false; mark() and release() throw RangeError.
 */
export class RangeAllocator {
  readonly #size: bigint;
  // Bitmap mode: one bit per offset; padding bits past the end are set so scans never return them.
  readonly #words: Uint32Array | undefined;
  readonly #n: number;
  // Set mode: the used offsets.
  readonly #set: Set<bigint> | undefined;
  #used = 0;
  // Every word below #wordHint is full (bitmap); every offset below #setHint is used (set).
  // Releases lower them; scans raise them, so repeated firstFree() stays cheap.
  #wordHint = 0;
  #setHint = 0n;

  constructor(size: bigint | number) {
    const s = toBigInt(size);
    if (s < 0n) throw new RangeError(`size ${s} is negative`);
    this.#size = s;
    if (s <= BigInt(BITMAP_LIMIT)) {
      this.#n = Number(s);
      this.#words = new Uint32Array(Math.ceil(this.#n / 32));
      const tail = this.#n & 31;
      if (tail !== 0) this.#words[this.#words.length - 1] = (FULL << tail) >>> 0;
    } else {
      this.#n = -1;
      this.#set = new Set();
    }
  }

  get size(): bigint {
    return this.#size;
  }

  get used(): number {
    return this.#used;
  }

  /** The bitmap index of offset, or -1 when it is not an integer in [0, size). */
  #index(offset: bigint | number): number {
    if (typeof offset === 'bigint') return offset >= 0n && offset < this.#size ? Number(offset) : -1;
    return Number.isInteger(offset) && offset >= 0 && offset < this.#n ? offset : -1;
  }

  /** The set key of offset, or undefined when it is not an integer in [0, size). */
  #key(offset: bigint | number): bigint | undefined {
    if (typeof offset === 'number' && !Number.isSafeInteger(offset)) return undefined;
    const k = BigInt(offset);
    return k >= 0n && k < this.#size ? k : undefined;
  }

  #outOfRange(offset: bigint | number): RangeError {
    return new RangeError(`offset ${offset} is outside [0, ${this.#size})`);
  }

  has(offset: bigint | number): boolean {
    if (this.#words !== undefined) {
      const i = this.#index(offset);
      return i >= 0 && ((this.#words[i >>> 5] >>> (i & 31)) & 1) === 1;
    }
    const k = this.#key(offset);
    return k !== undefined && (this.#set as Set<bigint>).has(k);
  }

  /** Marks offset used; false if it already was. */
  mark(offset: bigint | number): boolean {
    if (this.#words !== undefined) {
      const i = this.#index(offset);
      if (i < 0) throw this.#outOfRange(offset);
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      if ((this.#words[w] & bit) !== 0) return false;
      this.#words[w] |= bit;
    } else {
      const k = this.#key(offset);
      if (k === undefined) throw this.#outOfRange(offset);
      const set = this.#set as Set<bigint>;
      if (set.has(k)) return false;
      set.add(k);
    }
    this.#used++;
    return true;
  }

  /** Frees offset; freeing a free offset is a no-op. */
  release(offset: bigint | number): void {
    if (this.#words !== undefined) {
      const i = this.#index(offset);
      if (i < 0) throw this.#outOfRange(offset);
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      if ((this.#words[w] & bit) === 0) return;
      this.#words[w] &= ~bit;
      if (w < this.#wordHint) this.#wordHint = w;
    } else {
      const k = this.#key(offset);
      if (k === undefined) throw this.#outOfRange(offset);
      if (!(this.#set as Set<bigint>).delete(k)) return;
      if (k < this.#setHint) this.#setHint = k;
    }
    this.#used--;
  }

  /**
   * The first free offset at or after `from`. Without `until`, scans [from, size) and then wraps
   * to [0, from), so "nextFree(last + 1)" allocates round-robin; with `until`, scans only
   * [from, until) and does not wrap. `from` and `until` are clamped to size; negative is an error.
   * Undefined when nothing is free in the scanned span.
   */
  nextFree(from: bigint | number, until?: bigint | number): bigint | undefined {
    if (this.#words !== undefined) {
      // Bitmap mode stays in plain numbers: this is the allocation hot path.
      if (this.#used === this.#n) return undefined;
      const lo = this.#clampIndex(from);
      let r: number;
      if (until !== undefined) r = this.#scanWords(lo, this.#clampIndex(until));
      else {
        r = this.#scanWords(lo, this.#n);
        if (r < 0 && lo > 0) r = this.#scanWords(0, lo);
      }
      return r < 0 ? undefined : BigInt(r);
    }
    if (BigInt(this.#used) === this.#size) return undefined;
    const lo = this.#clamp(from);
    if (until !== undefined) return this.#scanSet(lo, this.#clamp(until));
    return this.#scanSet(lo, this.#size) ?? (lo > 0n ? this.#scanSet(0n, lo) : undefined);
  }

  /** The lowest free offset. */
  firstFree(): bigint | undefined {
    return this.nextFree(0);
  }

  // Scan bounds are clamped to size (so "last + 1" is always a valid start); negative or
  // fractional bounds are caller bugs and throw RangeError.
  #clamp(offset: bigint | number): bigint {
    const o = toBigInt(offset);
    if (o < 0n) throw new RangeError(`offset ${o} is negative`);
    if (o > this.#size) return this.#size;
    return o;
  }

  #clampIndex(offset: bigint | number): number {
    if (typeof offset === 'number') return this.#clampNumber(offset, this.#n);
    if (offset < 0n) throw new RangeError(`offset ${offset} is negative`);
    return offset > this.#size ? this.#n : Number(offset);
  }

  #clampNumber(offset: number, max: number): number {
    if (offset > max) return max;
    if (!(offset >= 0) || !Number.isInteger(offset)) {
      throw new RangeError(`offset ${offset} is not a valid bound`);
    }
    return offset;
  }

  /** The first clear bit in [lo, hi), or -1; walks whole words, skipping full ones. */
  #scanWords(lo: number, hi: number): number {
    if (lo >= hi) return -1;
    const words = this.#words as Uint32Array;
    let w = lo >>> 5;
    // Bits below lo in the first word are not candidates.
    let mask = -1 << (lo & 31);
    if (w < this.#wordHint) {
      w = this.#wordHint;
      mask = -1;
    }
    for (; w < words.length && w * 32 < hi; w++, mask = -1) {
      const free = ~words[w] & mask;
      if (free !== 0) {
        const i = w * 32 + ctz32(free);
        return i < hi ? i : -1;
      }
      // Only a run of full words starting at the hint proves everything below is full.
      if (w === this.#wordHint && words[w] === FULL) this.#wordHint = w + 1;
    }
    return -1;
  }

  /** The first unused offset in [lo, hi), or undefined; at most used + 1 probes. */
  #scanSet(lo: bigint, hi: bigint): bigint | undefined {
    if (lo >= hi) return undefined;
    const set = this.#set as Set<bigint>;
    const fromHint = lo <= this.#setHint;
    let k = fromHint ? this.#setHint : lo;
    while (k < hi && set.has(k)) k++;
    if (fromHint) this.#setHint = k;
    return k < hi ? k : undefined;
  }
}
