// What reachability changes between two sources: the pod pairs (matched by namespace/name) whose
// verdict on a port differs, grouped by the workloads at both ends and the port.
//
// Worked over classes, never over pod pairs: a pod's joint class is (its class in A, its class
// in B) (for destinations, per port, as reach.ts classes them), so every pair of joint classes
// changes as a block or not at all, and the work is joint classes squared times ports. Pairs a
// pair rule decides (a pod to itself, a node to its own pods; see reach.ts) are few and are
// corrected one by one.

import type { Pod } from '../api/types.js';
import type { Store } from '../store/store.js';
import { ClassReachability, type Reachability } from './reach.js';
import { portProtocolString } from './types.js';
import { workloadOf } from './workload.js';

export { workloadOf } from './workload.js';

export interface ReachChange {
  /** `Deployment/ns/name`, `Pod/ns/name`, ... (workload.ts). */
  readonly from: string;
  readonly to: string;
  /** `80/TCP`. */
  readonly port: string;
  readonly before: boolean;
  readonly after: boolean;
  /** Pod pairs whose verdict changed. */
  readonly pairs: number;
  /** The first changed pairs (by source, then destination namespace/name), at most 3. */
  readonly pods: readonly { from: string; to: string }[];
}

export interface ReachDiff {
  /** The ports both sources were computed for (A's order); other ports are not compared. */
  readonly ports: readonly string[];
  /** Sorted by from, to, port (in `ports` order). */
  readonly changes: readonly ReachChange[];
  /** Pods (ns/name) present in one source only (in neither side of the other's matrix). */
  readonly onlyInA: readonly string[];
  readonly onlyInB: readonly string[];
}

const EXAMPLES = 3;

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

/** More specific workload names win: a snapshot may lack the ReplicaSet the other one holds. */
function rank(workload: string): number {
  return workload.startsWith('Pod/') ? 0 : workload.startsWith('ReplicaSet/') ? 1 : 2;
}

/** One side (from or to) of both matrices: the pods present in both, in namespace/name order. */
interface Matched {
  readonly names: string[];
  /** Index in A's and in B's list. */
  readonly a: number[];
  readonly b: number[];
  /** Workload id of each matched pod (into the shared workload table). */
  readonly workload: number[];
}

/** A joint class: a class in A and one in B, with its matched members by workload, ascending. */
interface Joint {
  readonly a: number;
  readonly b: number;
  readonly members: Map<number, number[]>;
}

function match(
  aNames: readonly string[],
  bNames: readonly string[],
  pods: { a: readonly Pod[]; b: readonly Pod[] },
  stores: { a: Store; b: Store },
  workloads: Map<string, number>,
): Matched {
  const inB = new Map(bNames.map((n, i) => [n, i]));
  const m: Matched = { names: [], a: [], b: [], workload: [] };
  aNames.forEach((name, ia) => {
    const ib = inB.get(name);
    if (ib === undefined) return;
    const wa = workloadOf(stores.a, pods.a[ia]);
    const wb = workloadOf(stores.b, pods.b[ib]);
    const w = rank(wb) > rank(wa) ? wb : wa;
    let wid = workloads.get(w);
    if (wid === undefined) {
      wid = workloads.size;
      workloads.set(w, wid);
    }
    m.names.push(name);
    m.a.push(ia);
    m.b.push(ib);
    m.workload.push(wid);
  });
  return m;
}

/** The joint classes of the matched pods of one side, given each pod's class in A and in B. */
function joints(m: Matched, aClass: Int32Array, bClass: Int32Array): Joint[] {
  const ids = new Map<string, number>();
  const out: Joint[] = [];
  m.names.forEach((_, k) => {
    const [ca, cb] = [aClass[m.a[k]], bClass[m.b[k]]];
    const key = `${ca},${cb}`;
    let j = ids.get(key);
    if (j === undefined) {
      j = out.length;
      ids.set(key, j);
      out.push({ a: ca, b: cb, members: new Map() });
    }
    const list = out[j].members.get(m.workload[k]);
    if (list) list.push(k);
    else out[j].members.set(m.workload[k], [k]);
  });
  return out;
}

/** The changed pairs of one (from workload, to workload, port, before) group. */
interface Group {
  readonly from: number;
  readonly to: number;
  readonly port: number;
  readonly before: boolean;
  pairs: number;
  /** Blocks of pairs changed at class level: matched from members x matched to members. */
  readonly blocks: [number[], number[]][];
  /** Pairs a pair rule made change although their classes did not. */
  readonly extra: [number, number][];
}

function asClasses(r: Reachability): ClassReachability {
  if (r instanceof ClassReachability) return r;
  throw new TypeError('diffReachability takes matrices made by computeReachability');
}

export function diffReachability(
  ra: Reachability,
  aStore: Store,
  rb: Reachability,
  bStore: Store,
): ReachDiff {
  const a = asClasses(ra);
  const b = asClasses(rb);
  const portsA = a.ports.map(portProtocolString);
  const portsB = b.ports.map(portProtocolString);
  const ports = portsA.filter((p) => portsB.includes(p));
  const pa = ports.map((p) => portsA.indexOf(p));
  const pb = ports.map((p) => portsB.indexOf(p));

  // `ns/name` of every listed pod, once per list (a matrix's sources and destinations are often
  // one list).
  const keys = new Map<readonly Pod[], string[]>();
  const names = (pods: readonly Pod[]) => {
    let k = keys.get(pods);
    if (!k) {
      k = pods.map(podKey);
      keys.set(pods, k);
    }
    return k;
  };
  const workloads = new Map<string, number>();
  const stores = { a: aStore, b: bStore };
  const from = match(names(a.from), names(b.from), { a: a.from, b: b.from }, stores, workloads);
  const to = match(names(a.to), names(b.to), { a: a.to, b: b.to }, stores, workloads);

  const groups = new Map<number, Group>();
  const W = workloads.size;
  const group = (wf: number, wt: number, k: number, before: boolean): Group => {
    const key = ((wf * W + wt) * ports.length + k) * 2 + (before ? 1 : 0);
    let g = groups.get(key);
    if (!g) {
      g = { from: wf, to: wt, port: k, before, pairs: 0, blocks: [], extra: [] };
      groups.set(key, g);
    }
    return g;
  };

  const sources = joints(from, a.fromClass, b.fromClass);
  for (let k = 0; k < ports.length; k++) {
    // Destinations are classed per port.
    const destinations = joints(to, a.toClass[pa[k]], b.toClass[pb[k]]);
    for (const jf of sources) {
      for (const jt of destinations) {
        const before = a.classAllowed(jf.a, jt.a, pa[k]);
        if (before === b.classAllowed(jf.b, jt.b, pb[k])) continue;
        for (const [wf, fm] of jf.members) {
          for (const [wt, tm] of jt.members) {
            const g = group(wf, wt, k, before);
            g.pairs += fm.length * tm.length;
            g.blocks.push([fm, tm]);
          }
        }
      }
    }
  }

  // The pair rules: correct the count of each pair they decide in A or in B.
  for (const [mf, mt] of pairRulePairs(a, b, from, to)) {
    const [fa, fb, ta, tb] = [from.a[mf], from.b[mf], to.a[mt], to.b[mt]];
    for (let k = 0; k < ports.length; k++) {
      const classBefore = a.classAllowed(a.fromClass[fa], a.toClass[pa[k]][ta], pa[k]);
      const classChanged = classBefore !== b.classAllowed(b.fromClass[fb], b.toClass[pb[k]][tb], pb[k]);
      const before = a.allowed(fa, ta, pa[k]);
      const changed = before !== b.allowed(fb, tb, pb[k]);
      if (classChanged === changed) continue;
      const g = group(from.workload[mf], to.workload[mt], k, changed ? before : classBefore);
      g.pairs += changed ? 1 : -1;
      if (changed) g.extra.push([mf, mt]);
    }
  }

  const workloadNames = [...workloads.keys()];
  const changes: ReachChange[] = [];
  for (const g of groups.values()) {
    if (g.pairs === 0) continue;
    const isChange = (mf: number, mt: number) =>
      a.allowed(from.a[mf], to.a[mt], pa[g.port]) !== b.allowed(from.b[mf], to.b[mt], pb[g.port]);
    const examples = [...g.extra];
    for (const [fm, tm] of g.blocks) examples.push(...firstPairs(fm, tm, isChange));
    examples.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    changes.push({
      from: workloadNames[g.from],
      to: workloadNames[g.to],
      port: ports[g.port],
      before: g.before,
      after: !g.before,
      pairs: g.pairs,
      pods: examples.slice(0, EXAMPLES).map(([mf, mt]) => ({ from: from.names[mf], to: to.names[mt] })),
    });
  }
  const portOrder = new Map(ports.map((p, i) => [p, i]));
  changes.sort(
    (x, y) =>
      compare(x.from, y.from) ||
      compare(x.to, y.to) ||
      (portOrder.get(x.port) as number) - (portOrder.get(y.port) as number) ||
      Number(y.before) - Number(x.before),
  );

  const inA = new Set([...names(a.from), ...names(a.to)]);
  const inB = new Set([...names(b.from), ...names(b.to)]);
  return {
    ports,
    changes,
    onlyInA: [...inA].filter((n) => !inB.has(n)).sort(),
    onlyInB: [...inB].filter((n) => !inA.has(n)).sort(),
  };
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The first pairs of a block (in from, then to order) that `keep` accepts, at most EXAMPLES. */
function firstPairs(fm: number[], tm: number[], keep: (f: number, t: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  for (const f of fm) {
    for (const t of tm) {
      if (!keep(f, t)) continue;
      out.push([f, t]);
      if (out.length === EXAMPLES) return out;
    }
  }
  return out;
}

/**
 * The matched pairs (as matched from / to indexes) that a pair rule decides in A or in B: a pod
 * to itself, and a hostNetwork pod to the pods on its node. Found through the destination index
 * of each pod and the destinations on each node, not by expanding pairs.
 */
function pairRulePairs(
  a: ClassReachability,
  b: ClassReachability,
  from: Matched,
  to: Matched,
): [number, number][] {
  const toByName = new Map(to.names.map((n, mt) => [n, mt]));
  const onNode = (r: ClassReachability, side: number[]) => {
    const out = new Map<string, number[]>();
    side.forEach((j, mt) => {
      const end = r.toEnds[j];
      const node = end.kind === 'pod' ? end.pod.spec.nodeName : undefined;
      if (node === undefined) return;
      const list = out.get(node);
      if (list) list.push(mt);
      else out.set(node, [mt]);
    });
    return out;
  };
  const aNodes = onNode(a, to.a);
  const bNodes = onNode(b, to.b);
  const out: [number, number][] = [];
  from.names.forEach((name, mf) => {
    const [ia, ib] = [from.a[mf], from.b[mf]];
    const [ea, eb] = [a.fromEnds[ia], b.fromEnds[ib]];
    const candidates = [
      toByName.get(name),
      ...(ea.kind === 'node' ? (aNodes.get(ea.node) ?? []) : []),
      ...(eb.kind === 'node' ? (bNodes.get(eb.node) ?? []) : []),
    ];
    for (const mt of new Set(candidates))
      if (mt !== undefined && (a.pairRule(ia, to.a[mt]) || b.pairRule(ib, to.b[mt]))) out.push([mf, mt]);
  });
  return out;
}
