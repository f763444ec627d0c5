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

/** A number or bigint offset as a bigint; RangeError for unsafe numbers. */
export function toBigInt(n: bigint | number): bigint {
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

/** Go's net.JoinHostPort: `host:port`, with an IPv6 address in brackets (`[fd00::1]:80`). */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
