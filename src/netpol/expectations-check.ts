// Checking selected expectations. Pod-to-pod expectations use the class-based reachability
// matrix (reach.ts): whether one passes is read from class-level counts, at any scale, and
// connections are expanded only to find and explain violations. Expectations with an address or
// node end evaluate each connection directly (one end is a single endpoint).
//
// A pod and itself are never a pair: a pod reaching its own address never leaves it, so no
// policy can allow or deny that, and "nothing in shop-data is reachable" should not fail on it.

import type { Diagnostic } from '../api/errors.js';
import type { Pod } from '../api/types.js';
import { formatIP } from '../ip/index.js';
import { evaluate } from './evaluate.js';
import type { Expectation, ExpectationResult, ViolationGroup } from './expectations.js';
import { type EndSelection, type PortCheck, type Selection, selectAll } from './expectations-select.js';
import type { PolicyModel } from './model.js';
import { type ClassReachability, computeReachability } from './reach.js';
import { type Connection, type Endpoint, portProtocolString, type Verdict } from './types.js';

/** Violations explained per expectation; the rest are counted. */
export const MAX_EXPLAINED = 10_000;
/** Connections listed per group of alike violations. */
export const MAX_EXAMPLES = 5;

/** An end as `podnet trace` takes it: `ns/pod`, `node/NAME`, or an address. */
function endArgument(end: Endpoint): string {
  // A hostNetwork pod is named as itself, though it speaks with its node's address.
  const pod = end.kind === 'external' ? undefined : end.pod;
  if (pod) return `${pod.metadata.namespace}/${pod.metadata.name}`;
  return end.kind === 'node' ? `node/${end.node}` : formatIP(end.ip);
}

/** A ViolationGroup being filled. */
interface Group {
  count: number;
  connection: Connection;
  verdict: Verdict;
  examples: ViolationGroup['examples'][number][];
}

/** Collects violations into groups decided alike, up to MAX_EXPLAINED of them. */
class Violations {
  private readonly groups = new Map<string, Group>();
  explained = 0;

  get full(): boolean {
    return this.explained >= MAX_EXPLAINED;
  }

  add(connection: Connection, verdict: Verdict): void {
    this.explained++;
    // Alike: the same reasons and rules in both directions (the ends themselves aside).
    const key = JSON.stringify([verdict.egress, verdict.ingress]);
    let group = this.groups.get(key);
    if (!group) {
      group = { count: 0, connection, verdict, examples: [] };
      this.groups.set(key, group);
    }
    group.count++;
    if (group.examples.length < MAX_EXAMPLES) {
      group.examples.push({
        from: endArgument(connection.from),
        to: endArgument(connection.to),
        port: portProtocolString(connection),
      });
    }
  }

  list(): ViolationGroup[] {
    return [...this.groups.values()];
  }
}

interface Tally {
  connections: number;
  violations: number;
}

/**
 * Calls visit(i, j) for each pair whose verdict on port p is not `expected`, until it returns
 * false, without scanning pairs that cannot differ: a pair's verdict is its classes' bit unless a
 * pair rule allows it (loopback, never a pair here; a node to its own pods). So violations are
 * the members of class pairs whose bit differs, and, when `expected` is denied, the own-node
 * pairs of class pairs whose bit says denied.
 */
function forEachViolation(
  reach: ClassReachability,
  p: number,
  expected: boolean,
  visit: (i: number, j: number) => boolean,
): void {
  const members = (classOf: Int32Array, n: number) => {
    const out: number[][] = Array.from({ length: n }, () => []);
    classOf.forEach((c, i) => {
      out[c].push(i);
    });
    return out;
  };
  // Destinations are classed per port.
  const toClass = reach.toClass[p];
  const fromMembers = members(reach.fromClass, reach.fromClasses);
  const toMembers = members(toClass, reach.toClasses[p]);
  for (let fc = 0; fc < reach.fromClasses; fc++) {
    for (let tc = 0; tc < reach.toClasses[p]; tc++) {
      if (reach.classAllowed(fc, tc, p) === expected) continue;
      for (const i of fromMembers[fc]) {
        for (const j of toMembers[tc]) {
          if (reach.from[i] === reach.to[j] || reach.allowed(i, j, p) === expected) continue;
          if (!visit(i, j)) return;
        }
      }
    }
  }
  if (expected) return;
  const onNode = new Map<string, number[]>();
  reach.toEnds.forEach((t, j) => {
    const node = t.kind === 'pod' ? t.pod.spec.nodeName : undefined;
    if (node === undefined) return;
    const list = onNode.get(node);
    if (list) list.push(j);
    else onNode.set(node, [j]);
  });
  for (let i = 0; i < reach.from.length; i++) {
    const f = reach.fromEnds[i];
    if (f.kind !== 'node') continue;
    for (const j of onNode.get(f.node) ?? []) {
      if (reach.classAllowed(reach.fromClass[i], toClass[j], p)) continue;
      if (!visit(i, j)) return;
    }
  }
}

/** Pods on both sides, through the matrix: counts per class, pairs only for violations. */
function checkPods(
  model: PolicyModel,
  s: Selection,
  from: readonly Pod[],
  to: readonly Pod[],
  checks: readonly PortCheck[],
  out: Violations,
  tally: Tally,
): void {
  const expected = s.expectation.allowed;
  const ports = checks.map((c) => c.port);
  // computeReachability builds the class matrix, whose classes the search for violations uses.
  const reach = computeReachability(model, { from, to, ports, family: s.family }) as ClassReachability;
  const toIndex = new Set(reach.to);
  const self = reach.from.filter((pod) => toIndex.has(pod)).length;
  const { pairs, allowedPerPort } = reach.summary();
  let violations = 0;
  // Self pairs are allowed (loopback) and not checked.
  for (const allowed of allowedPerPort) violations += expected ? pairs - allowed : allowed - self;
  tally.connections += (pairs - self) * checks.length;
  tally.violations += violations;
  if (violations === 0) return;
  for (let p = 0; p < ports.length && !out.full; p++) {
    forEachViolation(reach, p, expected, (i, j) => {
      const connection = { from: reach.fromEnds[i], to: reach.toEnds[j], ...ports[p] };
      out.add(connection, reach.verdict(i, j, p));
      return !out.full;
    });
  }
}

/** One end is a single endpoint: each connection evaluated directly. */
function checkEach(model: PolicyModel, s: Selection, out: Violations, tally: Tally): void {
  const ends = (sel: EndSelection, pods: readonly Pod[] | undefined): Endpoint[] =>
    sel.kind === 'endpoint'
      ? [sel.endpoint]
      : (pods ?? sel.pods).flatMap((pod) => {
          const e = model.podEndpoint(pod, s.family);
          return e ? [e] : [];
        });
  const sources = ends(s.from, undefined);
  for (const check of s.checks) {
    const destinations = ends(s.to, check.to);
    for (const from of sources) {
      for (const to of destinations) {
        const connection: Connection = { from, to, port: check.port.port, protocol: check.port.protocol };
        tally.connections++;
        const verdict = evaluate(model, connection);
        if (verdict.allowed === s.expectation.allowed) continue;
        tally.violations++;
        if (!out.full) out.add(connection, verdict);
      }
    }
  }
}

function checkOne(model: PolicyModel, s: Selection): ExpectationResult {
  const out = new Violations();
  const tally: Tally = { connections: 0, violations: 0 };
  if (s.from.kind === 'pods' && s.to.kind === 'pods') {
    // Numeric ports share one matrix over every destination; a named port has one per number.
    const shared = s.checks.filter((c) => !c.to);
    if (shared.length > 0) checkPods(model, s, s.from.pods, s.to.pods, shared, out, tally);
    for (const c of s.checks) if (c.to) checkPods(model, s, s.from.pods, c.to, [c], out, tally);
  } else {
    checkEach(model, s, out, tally);
  }
  const ports = [...new Set(s.checks.map((c) => portProtocolString(c.port)))];
  const skipped = [
    ...(s.from.kind === 'pods' ? s.from.skipped : []),
    ...(s.to.kind === 'pods' ? s.to.skipped : []),
  ];
  return {
    expectation: s.expectation,
    passed: tally.violations === 0,
    ports,
    connections: tally.connections,
    violations: tally.violations,
    groups: out.list(),
    unexplained: tally.violations - out.explained,
    skipped: [...new Set(skipped)].sort(),
  };
}

/** Results of a whole file, or the errors found while selecting its pods (nothing checked). */
export type CheckOutcome =
  | { readonly ok: true; readonly results: readonly ExpectationResult[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Selects every expectation's ends in the cluster, then, if every selection is valid, checks
 * them all, in file order.
 */
export function checkExpectations(model: PolicyModel, expectations: readonly Expectation[]): CheckOutcome {
  const selected = selectAll(model, expectations);
  if (!selected.ok) return selected;
  return { ok: true, results: selected.selections.map((s) => checkOne(model, s)) };
}
