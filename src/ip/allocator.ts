// A compact record of which offsets of a range (addresses of a CIDR, ports of a range) are in use.

import { toBigInt } from './ip.js';

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
