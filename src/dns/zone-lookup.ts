// Answering one question from the zone index: a map get, then the DNS rules around it — NXDOMAIN
// versus NOERROR with no data (RFC 2308, the SOA in the authority section), CNAME processing
// (RFC 1034 §4.3.2), the synthesised pod names, and REFUSED outside the zones served.

import { inZone, normalizeName, reverseAddress } from './names.js';
import { podAddressData } from './records-pods.js';
import { type ResourceRecord, RR_TYPE_CODES, type RRType, type ZoneAnswer } from './types.js';
import type { ClusterZone } from './zone.js';
import type { ZoneIndex } from './zone-index.js';
import type { ZoneNode } from './zone-node.js';

const TYPE_OF_CODE = new Map<number, RRType>(
  (Object.entries(RR_TYPE_CODES) as [RRType, number][]).map(([type, code]) => [code, type]),
);

const NONE: readonly ResourceRecord[] = Object.freeze([]);

/** Outside the cluster domain and the cluster's reverse names: not ours to answer. */
const REFUSED: ZoneAnswer = Object.freeze({
  rcode: 'REFUSED',
  authoritative: false,
  answers: NONE,
  authority: NONE,
  additional: NONE,
});

/** CoreDNS stops following a CNAME chain after eight links (plugin/backend_lookup.go A). */
const MAX_CHAIN = 8;

/** A reverse zone CoreDNS is configured for: its SOA, and the answers it gives about it. */
interface ReverseZone {
  readonly apex: string;
  readonly nodata: ZoneAnswer;
}

export interface IndexedZoneParts {
  readonly domain: string;
  readonly index: ZoneIndex;
  readonly ttl: number;
  readonly namespaces: ReadonlySet<string>;
  readonly soa: ResourceRecord;
  /** The SOA of each reverse zone (in-addr.arpa., ip6.arpa.). */
  readonly reverseSOAs: readonly ResourceRecord[];
  /** Records answered without being indexed (the pod names), for `records()` only. */
  readonly unindexed: () => readonly ResourceRecord[];
}

function negative(rcode: 'NXDOMAIN' | 'NOERROR', soa: ResourceRecord): ZoneAnswer {
  return Object.freeze({ rcode, authoritative: true, answers: NONE, authority: [soa], additional: NONE });
}

function positive(answers: readonly ResourceRecord[], additional = NONE): ZoneAnswer {
  return { rcode: 'NOERROR', authoritative: true, answers, authority: NONE, additional };
}

export class IndexedZone implements ClusterZone {
  readonly domain: string;
  private readonly index: ZoneIndex;
  private readonly ttl: number;
  private readonly namespaces: ReadonlySet<string>;
  private readonly podSuffix: string;
  private readonly nxdomain: ZoneAnswer;
  private readonly nodata: ZoneAnswer;
  private readonly reverse: readonly ReverseZone[];
  private readonly unindexed: () => readonly ResourceRecord[];
  private all: readonly ResourceRecord[] | undefined;

  constructor(parts: IndexedZoneParts) {
    this.domain = parts.domain;
    this.index = parts.index;
    this.ttl = parts.ttl;
    this.namespaces = parts.namespaces;
    this.podSuffix = `.pod.${parts.domain}`;
    this.nxdomain = negative('NXDOMAIN', parts.soa);
    this.nodata = negative('NOERROR', parts.soa);
    this.reverse = parts.reverseSOAs.map((soa) => ({ apex: soa.name, nodata: negative('NOERROR', soa) }));
    this.unindexed = parts.unindexed;
  }

  lookup(name: string, type: RRType | number): ZoneAnswer {
    const qname = normalizeName(name);
    // An unknown type code asks for data no name here has: NOERROR with no data where it exists.
    const qtype = typeof type === 'number' ? TYPE_OF_CODE.get(type) : type;
    const node = this.index.nodes.get(qname);
    const cname = node?.get('CNAME');
    if (cname && qtype !== 'CNAME') return this.chase(cname[0], qtype);
    return this.answer(qname, node, qtype);
  }

  records(): readonly ResourceRecord[] {
    this.all ??= this.index.records(this.unindexed());
    return this.all;
  }

  /** The answer at a name that holds no CNAME (or where the CNAME itself was asked for). */
  private answer(qname: string, node: ZoneNode | undefined, qtype: RRType | undefined): ZoneAnswer {
    if (node) {
      const set = qtype && node.get(qtype);
      if (set) return positive(set, qtype === 'SRV' || qtype === 'NS' ? (node.additional ?? NONE) : NONE);
      return this.noData(qname);
    }
    const address = reverseAddress(qname);
    if (address !== undefined && this.index.hasPointer(address)) {
      const pointers = qtype === 'PTR' && this.index.pointerRecords(qname, address);
      return pointers ? positive(pointers) : this.noData(qname);
    }
    if (!inZone(qname, this.domain)) return REFUSED;
    const pod = this.pod(qname);
    if (!pod) return this.nxdomain;
    return pod.data.type === qtype ? positive([pod]) : this.nodata;
  }

  /**
   * RFC 1034 §4.3.2: the CNAME answers for every type but CNAME, and the server goes on with its
   * target while the target is its own (RFC 6604: the rcode is the last name's). An ExternalName
   * target outside the cluster ends the chain at the CNAME: CoreDNS would ask its upstream for the
   * rest, and without forwarding the client's resolver does.
   */
  private chase(first: ResourceRecord, qtype: RRType | undefined): ZoneAnswer {
    const chain = [first];
    for (;;) {
      const { target } = chain[chain.length - 1].data as { target: string };
      if (chain.length >= MAX_CHAIN || chain.some((rr) => rr.name === target)) return positive(chain);
      const node = this.index.nodes.get(target);
      const cname = node?.get('CNAME');
      if (cname) {
        chain.push(cname[0]);
        continue;
      }
      const rest = this.answer(target, node, qtype);
      if (!rest.authoritative) return positive(chain);
      return { ...rest, answers: [...chain, ...rest.answers] };
    }
  }

  /** NOERROR with no data, with the SOA of the zone the name is in. */
  private noData(qname: string): ZoneAnswer {
    if (inZone(qname, this.domain)) return this.nodata;
    for (const zone of this.reverse) if (inZone(qname, zone.apex)) return zone.nodata;
    return REFUSED;
  }

  /** `pods insecure`: `<dashed address>.<ns>.pod.<zone>` for any address, in a namespace that exists. */
  private pod(qname: string): ResourceRecord | undefined {
    if (!qname.endsWith(this.podSuffix)) return undefined;
    const rest = qname.slice(0, qname.length - this.podSuffix.length);
    const dot = rest.indexOf('.');
    if (dot <= 0 || rest.includes('.', dot + 1)) return undefined;
    if (!this.namespaces.has(rest.slice(dot + 1))) return undefined;
    const data = podAddressData(rest.slice(0, dot));
    return data && { name: qname, ttl: this.ttl, data };
  }
}
