// Endpoints subsets in their canonical layout (pkg/api/v1/endpoints RepackSubsets): every
// address is listed once per port it offers, then ports offered on exactly the same addresses
// (with the same readiness) share a subset; an address not ready on a port is not ready there
// even if another entry says ready. Where upstream orders ports and subsets by an md5 hash,
// podnet orders ports by number and subsets by their first port and address, so the layout is
// fixed. Also the 1000-address truncation of the Endpoints controller.

import type { EndpointAddress, EndpointSubset } from '../../api/types.js';

export const MAX_ENDPOINTS_ADDRESSES = 1000;

export type EndpointsPort = NonNullable<EndpointSubset['ports']>[number];

export function portKey(p: EndpointsPort): string {
  return `${p.name ?? ''}/${p.protocol ?? ''}/${p.port}/${p.appProtocol ?? ''}`;
}

/** LessEndpointAddress: by IP as a string, then by target uid. */
function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** Collects (port, address, readiness) entries and packs them into subsets. */
export class SubsetPacker {
  // port key ('' for the sentinel of port-less subsets) -> address key -> ready
  private readonly ports = new Map<
    string,
    { port: EndpointsPort | undefined; addrs: Map<string, boolean> }
  >();
  // Addresses are told apart by IP and target uid (two pods may report one IP).
  private readonly addresses = new Map<string, EndpointAddress>();

  add(port: EndpointsPort | undefined, addr: EndpointAddress, ready: boolean): void {
    const pk = port ? portKey(port) : '';
    let entry = this.ports.get(pk);
    if (!entry) {
      entry = { port, addrs: new Map() };
      this.ports.set(pk, entry);
    }
    const ak = `${addr.ip}|${addr.targetRef?.uid ?? ''}`;
    if (!this.addresses.has(ak)) this.addresses.set(ak, addr);
    if (entry.addrs.get(ak) !== false) entry.addrs.set(ak, ready);
  }

  subsets(): EndpointSubset[] {
    const groups = new Map<string, { ports: EndpointsPort[]; addrs: Map<string, boolean> }>();
    for (const { port, addrs } of this.ports.values()) {
      const key = [...addrs]
        .map(([a, r]) => `${a}=${r}`)
        .sort()
        .join(',');
      let g = groups.get(key);
      if (!g) {
        g = { ports: [], addrs };
        groups.set(key, g);
      }
      if (port) g.ports.push(port);
    }
    const subsets: EndpointSubset[] = [];
    for (const g of groups.values()) {
      const ready: EndpointAddress[] = [];
      const notReady: EndpointAddress[] = [];
      for (const [ak, r] of g.addrs) (r ? ready : notReady).push(this.addresses.get(ak) as EndpointAddress);
      const subset: EndpointSubset = {};
      if (ready.length > 0) subset.addresses = ready.sort(lessAddress);
      if (notReady.length > 0) subset.notReadyAddresses = notReady.sort(lessAddress);
      if (g.ports.length > 0)
        subset.ports = g.ports.sort((a, b) => a.port - b.port || (portKey(a) < portKey(b) ? -1 : 1));
      subsets.push(subset);
    }
    const first = (s: EndpointSubset) => {
      const p = s.ports?.[0];
      return `${p ? `${String(p.port).padStart(5, '0')}/${portKey(p)}` : ''}|${(s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? ''}`;
    };
    return subsets.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
  }
}

/** RepackSubsets of subsets as written (by a user, or by an older controller). */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const packer = new SubsetPacker();
  for (const s of subsets) {
    const ports: (EndpointsPort | undefined)[] = s.ports && s.ports.length > 0 ? s.ports : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) packer.add(port, a, true);
      for (const a of s.notReadyAddresses ?? []) packer.add(port, a, false);
    }
  }
  return packer.subsets();
}

/**
 * truncateEndpoints: keeps at most 1000 addresses, ready ones first, spread over the subsets in
 * proportion to their size (rounded up, the last subset taking what is left). True if it cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_ADDRESSES) return false;
  const truncateReady = totalReady > MAX_ENDPOINTS_ADDRESSES;
  const max = truncateReady ? MAX_ENDPOINTS_ADDRESSES : MAX_ENDPOINTS_ADDRESSES - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = (truncateReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      if (s.addresses) s.addresses = s.addresses.slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}
