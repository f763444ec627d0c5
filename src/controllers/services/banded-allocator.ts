// A range split in two bands, as kube-apiserver splits Service IP ranges (KEP-3070) and the
// NodePort range (KEP-3668): a lower "static" band that dynamic allocation uses only when the
// upper band is full, so addresses and ports users pick by hand (usually low ones) rarely
// collide with ones the cluster picked. Upstream starts each dynamic search at a random
// offset; podnet starts at an offset derived from a stable hash of the object's identity and
// probes linearly, so an object's allocation does not depend on unrelated objects' order.

import { fnv1a32 } from '../../api/hash.js';
import { RangeAllocator } from '../../ip/index.js';

/** min(max(min, size/step), max), or 0 when the range is too small to split (upstream formula). */
export function staticBandSize(size: bigint, min: number, max: number, step: number): bigint {
  if (size <= BigInt(min)) return 0n;
  const offset = size / BigInt(step);
  if (offset < BigInt(min)) return BigInt(min);
  if (offset > BigInt(max)) return BigInt(max);
  return offset;
}

export class BandedAllocator {
  readonly used: RangeAllocator;

  /** `size` offsets in all, the first `staticBand` of them the static band. */
  constructor(
    readonly size: bigint,
    readonly staticBand: bigint,
  ) {
    this.used = new RangeAllocator(size);
  }

  /** Marks a requested offset; false if it was already taken. */
  reserve(offset: bigint): boolean {
    return this.used.mark(offset);
  }

  release(offset: bigint): void {
    this.used.release(offset);
  }

  /** A free offset for `identity`: upper band first, then the static band; undefined when full. */
  allocate(identity: string): bigint | undefined {
    const h = hash64(identity);
    const upper = this.probe(this.staticBand, this.size, h);
    const offset = upper ?? this.probe(0n, this.staticBand, h);
    if (offset !== undefined) this.used.mark(offset);
    return offset;
  }

  /** The first free offset in [lo, hi) at or after lo + h mod (hi - lo), wrapping within the band. */
  private probe(lo: bigint, hi: bigint, h: bigint): bigint | undefined {
    if (hi <= lo) return undefined;
    const start = lo + (h % (hi - lo));
    return this.used.nextFree(start, hi) ?? (start > lo ? this.used.nextFree(lo, start) : undefined);
  }
}

/** 64 bits of hash from two FNV-1a seeds: enough spread for IPv6-sized ranges. */
function hash64(s: string): bigint {
  return (BigInt(fnv1a32(s)) << 32n) | BigInt(fnv1a32(s, 0x9747b28c));
}
