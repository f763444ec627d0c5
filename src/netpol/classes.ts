// Equivalence classes of pods: pods that every compiled policy of every tier treats alike, so the
// reachability matrix is computed once per pair of classes instead of once per pair of pods.
//
// Two pods share a class when they answer every question a policy can ask of a connection end
// alike (see PolicyPredicates): which pod predicates cover them (subjects and peers, namespace
// labels and pod labels), which ipBlock / network CIDRs hold their address, what the named ports
// used by rules mean on them, and whether they are on the pod network at all. hostNetwork pods
// are their node as far as policy goes: no pod predicate ever covers them, named ports never
// match them, and their node's answers to the node selectors are asked instead. Named ports only
// matter on the destination of a connection, and only whether they mean its port, so a class
// can be asked for one role and port (NamedPortView), which makes it coarser. What depends on the
// pair rather than on either end (a pod to itself, a node to its own pods) is left to the caller.
//
// Signatures are built from the predicates' side (who does this predicate cover, from the label
// index), never by asking every pod every predicate; CIDR containment is one map lookup per
// distinct prefix length, never every pod against every CIDR.

import type { Pod, Protocol } from '../api/types.js';
import { bits, type CIDR, type IP, type IPFamily } from '../ip/index.js';
import type { ClusterFacts } from './facts.js';
import type { PolicyModel } from './model.js';
import type { Endpoint, PolicyPredicates, PortProtocol } from './types.js';

export interface PodClass {
  readonly id: number;
  /** Sorted by namespace/name; pods[0] is the representative. */
  readonly pods: readonly Pod[];
}

export interface PodClasses {
  readonly classes: readonly PodClass[];
  /** The class of a pod; -1 if the pod was not classified (not given, or no IP of the family). */
  classOf(pod: Pod): number;
}

/** A pod and the endpoint it is as a connection end. */
export interface ClassifiedPod {
  readonly pod: Pod;
  readonly endpoint: Endpoint;
}

/** Pods by namespace, then name: the order of every listing and of class members. */
export function comparePods(a: Pod, b: Pod): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const ma = a.metadata.name;
  const mb = b.metadata.name;
  return ma < mb ? -1 : ma > mb ? 1 : 0;
}

/**
 * The pods of `pods` that are a connection end (`endpointOf`), sorted, each once. Pods that are
 * none (no IP of the family yet, no node) take part in no connection and are left out.
 */
export function classifiedPods(
  pods: readonly Pod[],
  endpointOf: (pod: Pod) => Endpoint | undefined,
): ClassifiedPod[] {
  const out: ClassifiedPod[] = [];
  for (const pod of pods) {
    const endpoint = endpointOf(pod);
    if (endpoint) out.push({ pod, endpoint });
  }
  out.sort((a, b) => comparePods(a.pod, b.pod));
  // A pod given twice is adjacent to itself once sorted.
  return out.filter((e, i) => i === 0 || out[i - 1].pod !== e.pod);
}

/**
 * Classifies `pods` (objects of `model.store`) for every role: pods of one class behave alike as
 * sources and as destinations, on every port. Classes are numbered in the order of their first
 * member, so the numbering is deterministic.
 */
export function podClasses(model: PolicyModel, pods: readonly Pod[], family?: IPFamily): PodClasses {
  const entries = classifiedPods(pods, (pod) => model.podEndpoint(pod, family));
  const { classOf: classOfEntry } = new PodSignatures(model, entries).classes('all');
  const classes: { id: number; pods: Pod[] }[] = [];
  const byPod = new Map<Pod, number>();
  entries.forEach(({ pod }, i) => {
    const id = classOfEntry[i];
    if (id === classes.length) classes.push({ id, pods: [] });
    classes[id].pods.push(pod);
    byPod.set(pod, id);
  });
  return { classes, classOf: (pod) => byPod.get(pod) ?? -1 };
}

/**
 * Which named ports pods of a class must agree on. A named port means something only on the
 * destination of a connection (NetworkPolicy and admin rules resolve it against the destination
 * pod), and only whether it means the connection's port: so `'none'` for sources, one port for
 * the destinations of that port, `'all'` for classes that hold in every role and on every port.
 */
export type NamedPortView = 'all' | 'none' | PortProtocol;

/** A partition of the entries: each entry's class, numbered in order of first appearance. */
export interface Partition {
  readonly classOf: Int32Array;
  readonly count: number;
}

/** What tells the entries apart, computed once; partitions for any named-port view from it. */
export class PodSignatures {
  private readonly podSignature: Int32Array;
  private readonly cidr: Int32Array;
  /** Node selector answers of node endpoints ('' for pods). */
  private readonly nodeSignature: string[];
  /**
   * What the rule-used port names mean on each pod, as the policy engine resolves them
   * (ClusterFacts.namedPort): `[name, protocol, port]`, sorted; undefined when they mean nothing.
   */
  private readonly namedPorts: (readonly NamedPort[] | undefined)[];

  constructor(
    model: PolicyModel,
    private readonly entries: readonly ClassifiedPod[],
  ) {
    const predicates = model.predicates();
    this.podSignature = podPredicateSignatures(model.facts, predicates, entries);
    const cidrOf = deepestCIDR(predicates.cidrs);
    const nodeSignature = nodeSignatures(model.facts, predicates);
    const portNames = new Set(predicates.portNames);
    this.cidr = new Int32Array(entries.length);
    this.nodeSignature = [];
    this.namedPorts = [];
    entries.forEach(({ pod, endpoint }, i) => {
      this.cidr[i] = cidrOf(endpoint.ip);
      this.nodeSignature.push(endpoint.kind === 'node' ? nodeSignature(endpoint.node) : '');
      // Named ports mean something on pod-network destinations only.
      this.namedPorts.push(endpoint.kind === 'pod' ? namedPortsOf(model.facts, pod, portNames) : undefined);
    });
  }

  classes(view: NamedPortView): Partition {
    const ids = new Map<string, number>();
    const classOf = new Int32Array(this.entries.length);
    this.entries.forEach(({ endpoint }, i) => {
      const key =
        endpoint.kind === 'pod'
          ? `pod|${this.podSignature[i]}|${this.cidr[i]}|${this.namedPortKey(i, view)}`
          : `${endpoint.kind}|${this.cidr[i]}|${this.nodeSignature[i]}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      classOf[i] = id;
    });
    return { classOf, count: ids.size };
  }

  /** The named-port part of a key: every meaning (`http/TCP=8080`), or the names meaning one port. */
  private namedPortKey(i: number, view: NamedPortView): string {
    const named = this.namedPorts[i];
    if (named === undefined || view === 'none') return '';
    if (view === 'all') return named.map(([name, protocol, port]) => `${name}/${protocol}=${port}`).join(',');
    let key = '';
    for (const [name, protocol, port] of named)
      if (protocol === view.protocol && port === view.port) key += `${name},`;
    return key;
  }
}

/**
 * For every pod-network entry, an id of the set of pod predicates covering it: equal ids, equal
 * sets. Each predicate's covered pods come from the label index; the set of a pod grows one
 * predicate at a time (in predicate order) through a trie of interned prefixes, so a signature
 * costs no allocation per pod.
 */
function podPredicateSignatures(
  facts: ClusterFacts,
  predicates: PolicyPredicates,
  entries: readonly ClassifiedPod[],
): Int32Array {
  const index = new Map<Pod, number>();
  entries.forEach(({ pod, endpoint }, i) => {
    if (endpoint.kind === 'pod') index.set(pod, i);
  });
  const signature = new Int32Array(entries.length);
  // (prefix id, predicate) -> id of the prefix extended by the predicate; 0 is the empty set.
  const trie = new Map<number, number>();
  const width = predicates.pods.length + 1;
  predicates.pods.forEach((predicate, k) => {
    for (const pod of facts.podsCovered(predicate)) {
      const i = index.get(pod);
      if (i === undefined) continue;
      const edge = signature[i] * width + k;
      let next = trie.get(edge);
      if (next === undefined) {
        next = trie.size + 1;
        trie.set(edge, next);
      }
      signature[i] = next;
    }
  });
  return signature;
}

/**
 * A function from an address to the most specific of `cidrs` holding it (-1: none). CIDRs are
 * prefixes, so any two that share an address are nested: the set of CIDRs holding an address is
 * the chain above the most specific one, which therefore identifies the whole set (except
 * entries included, each being a CIDR of its own). One map lookup per distinct prefix length.
 */
function deepestCIDR(cidrs: readonly CIDR[]): (ip: IP) => number {
  const ids = new Map<string, number>();
  const byFamily = new Map<IPFamily, Map<number, Map<bigint, number>>>();
  for (const c of cidrs) {
    const key = `${c.family}/${c.base}/${c.prefix}`;
    if (ids.has(key)) continue;
    ids.set(key, ids.size);
    let byPrefix = byFamily.get(c.family);
    if (!byPrefix) {
      byPrefix = new Map();
      byFamily.set(c.family, byPrefix);
    }
    let bases = byPrefix.get(c.prefix);
    if (!bases) {
      bases = new Map();
      byPrefix.set(c.prefix, bases);
    }
    bases.set(c.base, ids.size - 1);
  }
  const levels = new Map<IPFamily, { shift: bigint; bases: Map<bigint, number> }[]>();
  for (const [family, byPrefix] of byFamily) {
    const prefixes = [...byPrefix.keys()].sort((a, b) => b - a);
    levels.set(
      family,
      prefixes.map((p) => ({
        shift: BigInt(bits(family) - p),
        bases: byPrefix.get(p) as Map<bigint, number>,
      })),
    );
  }
  return (ip) => {
    for (const { shift, bases } of levels.get(ip.family) ?? []) {
      const id = bases.get((ip.value >> shift) << shift);
      if (id !== undefined) return id;
    }
    return -1;
  };
}

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

type NamedPort = readonly [name: string, protocol: Protocol, port: number];

/**
 * What each name of `portNames` that the pod declares means on it, per protocol
 * (ClusterFacts.namedPort), sorted; undefined when none. Names a pod does not declare mean
 * nothing on any pod.
 */
function namedPortsOf(
  facts: ClusterFacts,
  pod: Pod,
  portNames: ReadonlySet<string>,
): NamedPort[] | undefined {
  if (portNames.size === 0) return undefined;
  let out: NamedPort[] | undefined;
  for (const c of pod.spec.containers) {
    for (const { name } of c.ports ?? []) {
      if (name === undefined || !portNames.has(name) || (out !== undefined && hasName(out, name))) continue;
      for (const protocol of PROTOCOLS) {
        const port = facts.namedPort(pod, name, protocol);
        if (port === undefined) continue;
        out ??= [];
        out.push([name, protocol, port]);
      }
    }
  }
  return out !== undefined && out.length > 1
    ? out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    : out;
}

function hasName(named: readonly NamedPort[], name: string): boolean {
  for (const n of named) if (n[0] === name) return true;
  return false;
}

/** A node's answers to every node selector of the admin tiers, as a string of 0/1; memoised. */
function nodeSignatures(facts: ClusterFacts, predicates: PolicyPredicates): (node: string) => string {
  const memo = new Map<string, string>();
  return (node) => {
    let s = memo.get(node);
    if (s === undefined) {
      s = predicates.nodes.map((sel) => (facts.coversNode(sel, node) ? '1' : '0')).join('');
      memo.set(node, s);
    }
    return s;
  };
}
