// The reachability matrix: for every ordered pair of selected pods (self included) and every
// port, whether the connection is allowed. Computed over equivalence classes (classes.ts): one
// evaluation per (source class, destination class, port), with the verdict taken from
// evaluate.ts on two member pods, stored as one bit. Sources are classed without named ports
// (they mean nothing on a source) and destinations once per port (only whether a name means that
// port counts), which keeps both partitions as coarse as the semantics allow.
//
// A pair's answer is its classes' bit, except for the two rules of evaluate.ts that depend on
// the pair itself rather than on either end, and that always allow:
//   - a pod to itself (it never leaves the pod; the upstream e2e suite expects it allowed,
//     Reachability.AllowLoopback);
//   - a hostNetwork pod (its node) to a pod on that same node (the own-node rule).
// The class bit is therefore taken from a pair of members to which neither rule applies.

import type { Pod } from '../api/types.js';
import type { IPFamily } from '../ip/index.js';
import { type ClassifiedPod, classifiedPods, PodSignatures } from './classes.js';
import { evaluate, evaluateDirection } from './evaluate.js';
import type { PolicyModel } from './model.js';
import type { Connection, Endpoint, PortProtocol, Verdict } from './types.js';

export interface ReachOptions {
  readonly from: readonly Pod[];
  readonly to: readonly Pod[];
  readonly ports: readonly PortProtocol[];
  readonly family?: IPFamily;
}

export interface Reachability {
  readonly ports: readonly PortProtocol[];
  /** Sorted by namespace/name; pods without an IP of the family are left out. */
  readonly from: readonly Pod[];
  readonly to: readonly Pod[];
  /** O(1): class lookup, plus the per-pair rules (a pod to itself, a node to its own pods). */
  allowed(fromIndex: number, toIndex: number, portIndex: number): boolean;
  /** The explained verdict (evaluate() on the pair itself). */
  verdict(fromIndex: number, toIndex: number, portIndex: number): Verdict;
  /**
   * Class-level counts without expanding pairs: allowed ordered pairs per port, total pairs, and
   * the number of source classes and of destination classes (destinations alike on every port).
   */
  summary(): { pairs: number; classes: { from: number; to: number }; allowedPerPort: readonly number[] };
}

type Summary = ReturnType<Reachability['summary']>;

/** One side's classes: the class of each pod and the members to try as representatives. */
interface SideClasses {
  readonly classOf: Int32Array;
  /** Per class: the first two members and the first member on another node than the first. */
  readonly candidates: readonly number[][];
}

function nodeOf(end: Endpoint): string | undefined {
  return end.kind === 'node' ? end.node : end.kind === 'pod' ? end.pod.spec.nodeName : undefined;
}

/** One side's pods, renumbered into classes of this side, in order of first appearance. */
function sideClasses(side: readonly ClassifiedPod[], global: (i: number) => number): SideClasses {
  const local = new Map<number, number>();
  const classOf = new Int32Array(side.length);
  const candidates: number[][] = [];
  side.forEach((e, i) => {
    const g = global(i);
    let c = local.get(g);
    if (c === undefined) {
      c = local.size;
      local.set(g, c);
      candidates.push([i]);
    } else {
      const list = candidates[c];
      const firstNode = nodeOf(side[list[0]].endpoint);
      if (list.length < 2) list.push(i);
      else if (
        list.length === 2 &&
        nodeOf(side[list[1]].endpoint) === firstNode &&
        nodeOf(e.endpoint) !== firstNode
      )
        list.push(i);
    }
    classOf[i] = c;
  });
  return { classOf, candidates };
}

/** The matrix; exported for diff.ts, which works over the same classes. */
export class ClassReachability implements Reachability {
  readonly from: readonly Pod[];
  readonly to: readonly Pod[];
  /** The connection end each pod is (same indexes as from / to). */
  readonly fromEnds: readonly Endpoint[];
  readonly toEnds: readonly Endpoint[];
  readonly fromClass: Int32Array;
  readonly fromClasses: number;
  /** Per port: each destination's class, and the number of classes. */
  readonly toClass: readonly Int32Array[];
  readonly toClasses: readonly number[];
  private readonly bits: Uint32Array[];
  /** Per source: the destination index of the same pod when both are on the pod network, or -1. */
  private readonly selfIndex: Int32Array;
  /** Per source: its node's id when it is a node endpoint (hostNetwork), else -1. */
  private readonly fromNode: Int32Array;
  /** Per destination: its node's id when it is a pod-network pod, else -2 (matching no source). */
  private readonly toNode: Int32Array;
  private cached: Summary | undefined;

  constructor(
    private readonly model: PolicyModel,
    readonly ports: readonly PortProtocol[],
    from: readonly ClassifiedPod[],
    to: readonly ClassifiedPod[],
    sources: SideClasses,
    destinations: readonly SideClasses[],
  ) {
    this.from = from.map((e) => e.pod);
    this.fromEnds = from.map((e) => e.endpoint);
    this.to = to === from ? this.from : to.map((e) => e.pod);
    this.toEnds = to === from ? this.fromEnds : to.map((e) => e.endpoint);
    this.fromClass = sources.classOf;
    this.fromClasses = sources.candidates.length;
    this.toClass = destinations.map((d) => d.classOf);
    this.toClasses = destinations.map((d) => d.candidates.length);

    const nodes = new Map<string, number>();
    const nodeId = (name: string) => {
      let id = nodes.get(name);
      if (id === undefined) {
        id = nodes.size;
        nodes.set(name, id);
      }
      return id;
    };
    const toIndex = new Map<Pod, number>();
    this.toNode = new Int32Array(to.length).fill(-2);
    to.forEach(({ pod, endpoint }, j) => {
      if (endpoint.kind !== 'pod') return;
      toIndex.set(pod, j);
      if (pod.spec.nodeName !== undefined) this.toNode[j] = nodeId(pod.spec.nodeName);
    });
    this.selfIndex = new Int32Array(from.length).fill(-1);
    this.fromNode = new Int32Array(from.length).fill(-1);
    from.forEach(({ pod, endpoint }, i) => {
      if (endpoint.kind === 'pod') this.selfIndex[i] = toIndex.get(pod) ?? -1;
      else if (endpoint.kind === 'node') this.fromNode[i] = nodeId(endpoint.node);
    });

    this.bits = destinations.map((d, p) => this.fill(p, sources.candidates, d.candidates));
  }

  /** Whether a pair rule allows (i, j) whatever the policies say: a pod to itself, a node to its own pods. */
  pairRule(i: number, j: number): boolean {
    return this.selfIndex[i] === j || (this.fromNode[i] >= 0 && this.fromNode[i] === this.toNode[j]);
  }

  /** The verdict of a class pair on a port (destination classes are those of that port). */
  classAllowed(fromClass: number, toClass: number, portIndex: number): boolean {
    const b = fromClass * this.toClasses[portIndex] + toClass;
    return (this.bits[portIndex][b >>> 5] & (1 << (b & 31))) !== 0;
  }

  allowed(fromIndex: number, toIndex: number, portIndex: number): boolean {
    return (
      this.classAllowed(this.fromClass[fromIndex], this.toClass[portIndex][toIndex], portIndex) ||
      this.pairRule(fromIndex, toIndex)
    );
  }

  verdict(fromIndex: number, toIndex: number, portIndex: number): Verdict {
    return evaluate(this.model, this.connection(fromIndex, toIndex, portIndex));
  }

  summary(): Summary {
    this.cached ??= this.count();
    return this.cached;
  }

  private connection(i: number, j: number, p: number): Connection {
    const { port, protocol } = this.ports[p];
    return { from: this.fromEnds[i], to: this.toEnds[j], port, protocol };
  }

  /** The bits of one port: one evaluation per class pair, on members no pair rule applies to. */
  private fill(p: number, sources: readonly number[][], destinations: readonly number[][]): Uint32Array {
    const bits = new Uint32Array(Math.ceil((sources.length * destinations.length) / 32));
    sources.forEach((fromMembers, fc) => {
      destinations.forEach((toMembers, tc) => {
        const pair = this.representatives(fromMembers, toMembers);
        // Every pair of these classes is allowed by a pair rule: the bit is never read alone.
        if (!pair) return;
        const conn = this.connection(pair[0], pair[1], p);
        // Both directions must allow; ingress is not asked when egress already denies.
        if (!evaluateDirection(this.model, conn, 'Egress').allowed) return;
        if (!evaluateDirection(this.model, conn, 'Ingress').allowed) return;
        const b = fc * destinations.length + tc;
        bits[b >>> 5] |= 1 << (b & 31);
      });
    });
    return bits;
  }

  /**
   * A member pair no pair rule applies to, if the classes have one. Two members per class, and a
   * member on another node, are enough: a loopback pair has another member on either side unless
   * both classes are that one pod; an own-node pair has a member on another node on either side
   * unless every member of both is on that node.
   */
  private representatives(
    fromMembers: readonly number[],
    toMembers: readonly number[],
  ): [number, number] | undefined {
    for (const i of fromMembers) for (const j of toMembers) if (!this.pairRule(i, j)) return [i, j];
    return undefined;
  }

  private count(): Summary {
    const fromSizes = new Float64Array(this.fromClasses);
    for (const c of this.fromClass) fromSizes[c]++;
    const allowedPerPort = this.ports.map((_, p) => {
      const toSizes = new Float64Array(this.toClasses[p]);
      for (const c of this.toClass[p]) toSizes[c]++;
      let n = 0;
      for (let fc = 0; fc < this.fromClasses; fc++)
        for (let tc = 0; tc < this.toClasses[p]; tc++)
          if (this.classAllowed(fc, tc, p)) n += fromSizes[fc] * toSizes[tc];
      // Pairs a pair rule allows while their classes' bit denies.
      for (const [key, pairs] of this.pairRuleCounts(p)) {
        const fc = Math.floor(key / this.toClasses[p]);
        if (!this.classAllowed(fc, key % this.toClasses[p], p)) n += pairs;
      }
      return n;
    });
    return {
      pairs: this.from.length * this.to.length,
      classes: { from: this.fromClasses, to: this.jointDestinationClasses() },
      allowedPerPort,
    };
  }

  /**
   * The number of pairs a pair rule applies to, per (source class, destination class) of a port,
   * without expanding pairs: loopback pairs through each source's own destination index,
   * own-node pairs through the destination classes present on each node.
   */
  private pairRuleCounts(p: number): Map<number, number> {
    const toClass = this.toClass[p];
    const counts = new Map<number, number>();
    const add = (fc: number, tc: number, n: number) => {
      const key = fc * this.toClasses[p] + tc;
      counts.set(key, (counts.get(key) ?? 0) + n);
    };
    const onNode = new Map<number, Map<number, number>>();
    if (this.fromNode.some((n) => n >= 0)) {
      this.toNode.forEach((node, j) => {
        if (node < 0) return;
        let classes = onNode.get(node);
        if (!classes) {
          classes = new Map();
          onNode.set(node, classes);
        }
        classes.set(toClass[j], (classes.get(toClass[j]) ?? 0) + 1);
      });
    }
    for (let i = 0; i < this.from.length; i++) {
      const self = this.selfIndex[i];
      if (self >= 0) add(this.fromClass[i], toClass[self], 1);
      for (const [tc, n] of onNode.get(this.fromNode[i]) ?? []) add(this.fromClass[i], tc, n);
    }
    return counts;
  }

  /** Destinations that fall in the same class on every port. */
  private jointDestinationClasses(): number {
    if (this.ports.length === 1) return this.toClasses[0];
    const joint = new Set<string>();
    for (let j = 0; j < this.to.length; j++) joint.add(this.toClass.map((c) => c[j]).join(','));
    return joint.size;
  }
}

/**
 * The matrix for `from` x `to` (objects of `model.store`) on `ports`, in one address family
 * (default: each pod's primary IP). Pods without an address of the family are left out.
 */
export function computeReachability(model: PolicyModel, options: ReachOptions): Reachability {
  const { family, ports } = options;
  const same = options.to === options.from;
  // Each pod's endpoint once, whether it is a source, a destination or both.
  const ends = new Map<Pod, Endpoint | undefined>();
  const endpointOf = same
    ? (pod: Pod) => model.podEndpoint(pod, family)
    : (pod: Pod) => {
        if (!ends.has(pod)) ends.set(pod, model.podEndpoint(pod, family));
        return ends.get(pod);
      };
  const from = classifiedPods(options.from, endpointOf);
  const to = same ? from : classifiedPods(options.to, endpointOf);
  // One set of signatures over both sides, so a pod has the same signature wherever it appears;
  // `at` maps a side's index to the entry's.
  let entries = from;
  let fromAt = (i: number) => i;
  let toAt = fromAt;
  if (!same) {
    const union = new Map<Pod, number>();
    entries = [];
    for (const e of [...from, ...to]) {
      if (union.has(e.pod)) continue;
      union.set(e.pod, entries.length);
      entries.push(e);
    }
    const fromIndex = Int32Array.from(from, (e) => union.get(e.pod) as number);
    const toIndex = Int32Array.from(to, (e) => union.get(e.pod) as number);
    fromAt = (i) => fromIndex[i];
    toAt = (i) => toIndex[i];
  }
  const signatures = new PodSignatures(model, entries);
  const sources = signatures.classes('none');
  return new ClassReachability(
    model,
    ports,
    from,
    to,
    sideClasses(from, (i) => sources.classOf[fromAt(i)]),
    ports.map((p) => {
      const destinations = signatures.classes(p);
      return sideClasses(to, (i) => destinations.classOf[toAt(i)]);
    }),
  );
}
