// Pod addresses from a node's pod CIDRs, as kind's CNI hands them out (the ptp plugin with
// host-local IPAM): in each range the network address and the first address (the node-side
// gateway) are never given to pods, nor is the IPv4 broadcast address; pods get the lowest free
// address. Addresses pods already report are marked used first.

import {
  type CIDR,
  cidrContains,
  cidrLast,
  cidrSize,
  formatIP,
  type IP,
  nthAddress,
  RangeAllocator,
} from '../../ip/index.js';

interface Range {
  cidr: CIDR;
  used: RangeAllocator;
}

export class NodeIPAM {
  private readonly ranges: Range[];
  /** The families of the node's ranges, in the node's order. */
  readonly families: readonly CIDR['family'][];

  constructor(cidrs: readonly CIDR[]) {
    this.ranges = cidrs.map((cidr) => {
      const used = new RangeAllocator(cidrSize(cidr));
      for (const reserved of [0n, 1n]) if (reserved < used.size) used.mark(reserved);
      if (cidr.family === 'IPv4' && used.size > 2n) used.mark(used.size - 1n);
      return { cidr, used };
    });
    this.families = cidrs.map((c) => c.family);
  }

  /** Marks an address a pod reports; false when none of the node's ranges holds it. */
  mark(ip: IP): boolean {
    const range = this.ranges.find((r) => cidrContains(r.cidr, ip));
    if (!range) return false;
    const offset = ip.value - range.cidr.base;
    if (!range.used.has(offset)) range.used.mark(offset);
    return true;
  }

  /**
   * One address from the range of each family in `families`: all of them, or none and the
   * host-local error for the exhausted range.
   */
  allocate(families: readonly CIDR['family'][]): IP[] | { error: string } {
    const picked: { range: Range; offset: bigint }[] = [];
    for (const range of this.ranges) {
      if (!families.includes(range.cidr.family)) continue;
      const offset = range.used.firstFree();
      if (offset === undefined) {
        const first = formatIP(nthAddress(range.cidr, 1));
        const last = formatIP(
          range.cidr.family === 'IPv4'
            ? nthAddress(range.cidr, cidrSize(range.cidr) - 2n)
            : cidrLast(range.cidr),
        );
        return {
          error: `failed to allocate for range 0: no IP addresses available in range set: ${first}-${last}`,
        };
      }
      picked.push({ range, offset });
    }
    return picked.map(({ range, offset }) => {
      range.used.mark(offset);
      return nthAddress(range.cidr, offset);
    });
  }
}
