// The index the cluster zone answers from: lower-case owner name -> the records it owns, by type,
// built once from the objects. Answering is a map get; nothing walks the store per query
// (CoreDNS plugin/kubernetes answers from its informer indexes the same way).

import { compareIP, parseIP, reverseName } from '../ip/index.js';
import { canonicalKey } from './names.js';
import { type ResourceRecord, RR_TYPE_CODES, type RRType } from './types.js';
import { ZoneNode } from './zone-node.js';

/** Types in wire-code order, as a master file and RFC 4034 canonical order list them. */
const TYPES_BY_CODE = (Object.keys(RR_TYPE_CODES) as RRType[]).sort(
  (a, b) => RR_TYPE_CODES[a] - RR_TYPE_CODES[b],
);

const byAddress = (x: ResourceRecord, y: ResourceRecord): number => {
  const a = parseIP((x.data as { address: string }).address);
  const b = parseIP((y.data as { address: string }).address);
  return a && b ? compareIP(a, b) : 0;
};

/** Sorts an address RRset numerically (IPv4 before IPv6), as the addresses compare on the wire. */
function sortAddresses(set: ResourceRecord[] | undefined): void {
  if (set && set.length > 1) set.sort(byAddress);
}

export class ZoneIndex {
  readonly nodes = new Map<string, ZoneNode>();
  /**
   * PTR targets by canonical address text. Every cluster IP and ready endpoint address has one,
   * and its reverse name owns nothing else, so the owner name (`5.1.244.10.in-addr.arpa.`) is
   * spelled only when it is asked for, not built, hashed and kept for every address up front.
   */
  private readonly pointers = new Map<string, string | string[]>();

  constructor(readonly ttl: number) {}

  /** The node of a normalised name, created when missing. */
  node(name: string): ZoneNode {
    let node = this.nodes.get(name);
    if (!node) {
      node = new ZoneNode();
      this.nodes.set(name, node);
    }
    return node;
  }

  add(rr: ResourceRecord): void {
    this.node(rr.name).add(rr);
  }

  /** Adds a PTR target for an address (canonical text), once; most addresses have one. */
  addPointer(address: string, target: string): void {
    const targets = this.pointers.get(address);
    if (targets === undefined) this.pointers.set(address, target);
    else if (typeof targets === 'string') {
      if (targets !== target) this.pointers.set(address, [targets, target].sort());
    } else if (!targets.includes(target)) {
      targets.push(target);
      targets.sort();
    }
  }

  hasPointer(address: string): boolean {
    return this.pointers.has(address);
  }

  /** The PTR RRset of an address, owned by its reverse name; undefined if it has none. */
  pointerRecords(owner: string, address: string): ResourceRecord[] | undefined {
    const targets = this.pointers.get(address);
    if (targets === undefined) return undefined;
    const list = typeof targets === 'string' ? [targets] : targets;
    return list.map((target) => ({ name: owner, ttl: this.ttl, data: { type: 'PTR', target } }));
  }

  /** Puts address RRsets in a deterministic order (SRV RRsets and PTR targets are kept sorted). */
  sortSets(): void {
    for (const node of this.nodes.values()) {
      sortAddresses(node.a);
      sortAddresses(node.aaaa);
    }
  }

  /**
   * Every record in canonical order: owners in RFC 4034 §6.1 order, the SOA first at its apex,
   * then the other types by wire code. `extra` adds records that are answered without being
   * indexed (the pod names of `pods insecure`).
   */
  records(extra: readonly ResourceRecord[] = []): ResourceRecord[] {
    const owners = new Map<string, ResourceRecord[]>();
    for (const [name, node] of this.nodes) {
      const list: ResourceRecord[] = [...(node.get('SOA') ?? [])];
      for (const type of TYPES_BY_CODE) {
        const set = type === 'SOA' ? undefined : node.get(type);
        if (set) list.push(...set);
      }
      if (list.length > 0) owners.set(name, list);
    }
    for (const address of this.pointers.keys()) {
      const ip = parseIP(address);
      const owner = ip && reverseName(ip);
      const set = owner && this.pointerRecords(owner, address);
      if (owner && set) owners.set(owner, set);
    }
    for (const rr of extra) {
      const list = owners.get(rr.name);
      if (list) list.push(rr);
      else owners.set(rr.name, [rr]);
    }
    const keyed = [...owners.keys()].map((name) => ({ name, key: canonicalKey(name) }));
    keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const out: ResourceRecord[] = [];
    for (const { name } of keyed) for (const rr of owners.get(name) ?? []) out.push(rr);
    return out;
  }
}
