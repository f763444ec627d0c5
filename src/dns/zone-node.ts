// The records of one owner name. A large cluster has one node per endpoint, so the node is kept
// small: address and SRV RRsets in fields, the few other types aside, and an endpoint's SRV
// RRset left as the slice ports it is built from until someone asks for it.

import type { EndpointPort } from '../api/types.js';
import { type EndpointSource, endpointEntries, srvSet } from './srv.js';
import type { ResourceRecord, RRType } from './types.js';

/** Types only the apex, `dns-version` and ExternalName Services hold. */
type RareType = 'CNAME' | 'NS' | 'SOA' | 'TXT';

const NO_PORTS: readonly EndpointPort[] = Object.freeze([]);

/** Same ports in the same order: slices of the two families of one Service usually agree. */
function samePorts(a: readonly EndpointPort[], b: readonly EndpointPort[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i];
    const q = b[i];
    if (p.port !== q.port || p.name !== q.name || (p.protocol ?? 'TCP') !== (q.protocol ?? 'TCP'))
      return false;
  }
  return true;
}

/**
 * A node without records is an empty non-terminal: the name exists because names below it do
 * (`svc.<zone>`, `<ns>.svc.<zone>`, `_tcp.<svc>...`), so a question for it gets NOERROR with no
 * data, never NXDOMAIN (RFC 8020).
 */
export class ZoneNode {
  a: ResourceRecord[] | undefined = undefined;
  aaaa: ResourceRecord[] | undefined = undefined;
  srv: ResourceRecord[] | undefined = undefined;
  /** The address records of the SRV targets or NS names (no node has both), for the additional section. */
  additional: ResourceRecord[] | undefined = undefined;
  private rare: Partial<Record<RareType, ResourceRecord[]>> | undefined = undefined;
  /**
   * At an endpoint name, the ports of the slice its addresses came from; `sources` instead when
   * its addresses came from slices with different ports. CoreDNS builds SRV answers per
   * question; few ask at an endpoint name, so the RRset is built on the first such question
   * rather than for every endpoint of the cluster up front.
   */
  private ports: readonly EndpointPort[] | undefined = undefined;
  private sources: EndpointSource[] | undefined = undefined;

  /** The RRset of one type; undefined when the node has none. PTR RRsets live in ZoneIndex. */
  get(type: RRType): ResourceRecord[] | undefined {
    switch (type) {
      case 'A':
        return this.a;
      case 'AAAA':
        return this.aaaa;
      case 'SRV':
        if (!this.srv && (this.ports || this.sources)) this.buildEndpointSRV();
        return this.srv;
      case 'PTR':
        return undefined;
      default:
        return this.rare?.[type];
    }
  }

  add(rr: ResourceRecord): void {
    switch (rr.data.type) {
      case 'A':
        if (this.a) this.a.push(rr);
        else this.a = [rr];
        return;
      case 'AAAA':
        if (this.aaaa) this.aaaa.push(rr);
        else this.aaaa = [rr];
        return;
      case 'SRV':
        if (this.srv) this.srv.push(rr);
        else this.srv = [rr];
        return;
      case 'PTR':
        throw new RangeError('PTR records are kept by address in ZoneIndex.pointers');
      default: {
        const type = rr.data.type;
        this.rare ??= {};
        const set = this.rare[type];
        if (set) set.push(rr);
        else this.rare[type] = [rr];
      }
    }
  }

  /** The node's A or AAAA record for an address, if it has one. */
  findAddress(type: 'A' | 'AAAA', address: string): ResourceRecord | undefined {
    const set = type === 'A' ? this.a : this.aaaa;
    if (set) for (const rr of set) if ((rr.data as { address: string }).address === address) return rr;
    return undefined;
  }

  /** Adds an endpoint's address record, with the ports of its slice for the SRV RRset. */
  addEndpoint(address: ResourceRecord, slicePorts: readonly EndpointPort[] | undefined): void {
    const ports = slicePorts ?? NO_PORTS;
    const first = !this.a && !this.aaaa;
    this.add(address);
    if (first) {
      this.ports = ports;
      return;
    }
    if (this.ports && samePorts(this.ports, ports)) return;
    if (!this.sources) {
      const before = this.ports ?? NO_PORTS;
      this.sources = this.addresses()
        .filter((rr) => rr !== address)
        .map((rr) => ({ address: rr, ports: before }));
      this.ports = undefined;
    }
    this.sources.push({ address, ports });
  }

  private addresses(): ResourceRecord[] {
    return [...(this.a ?? []), ...(this.aaaa ?? [])];
  }

  private buildEndpointSRV(): void {
    const ports = this.ports;
    const sources = this.sources ?? this.addresses().map((address) => ({ address, ports }));
    this.ports = undefined;
    this.sources = undefined;
    const first = sources[0].address;
    const set = srvSet(first.name, first.ttl, endpointEntries(sources));
    if (!set) return;
    this.srv = set.records;
    this.additional = set.additional;
  }
}
