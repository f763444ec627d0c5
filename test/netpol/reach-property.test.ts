// Properties on random small clusters (namespaces x, y, z; up to nine pods on one or two nodes,
// some hostNetwork, with named ports), random NetworkPolicies and random admin-tier policies:
// - podClasses: the members of a class get the same verdicts with every other pod;
// - computeReachability: every pair and port of the class matrix equals evaluate() on that pair,
//   and summary() counts exactly the allowed pairs;
// - diffReachability: the diff over joint classes equals the pair-by-pair comparison.
// This is what makes the classes trustworthy: a predicate missing from a signature merges pods
// that some policy tells apart, and some generated cluster then shows a pair whose class answer
// is wrong. The generators lean towards what tells pods apart (few label sets, rules with peers
// and ports, subjects that cover pods), so that each part of a signature is exercised.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Pod } from '../../src/api/types.js';
import type { IPFamily } from '../../src/ip/index.js';
import { podClasses } from '../../src/netpol/classes.js';
import { diffReachability, type ReachChange, type ReachDiff, workloadOf } from '../../src/netpol/diff.js';
import { evaluate } from '../../src/netpol/evaluate.js';
import { compilePolicyModel, type PolicyModel } from '../../src/netpol/model.js';
import { computeReachability, type Reachability } from '../../src/netpol/reach.js';
import { type Endpoint, type PortProtocol, portProtocolString } from '../../src/netpol/types.js';
import type { Store } from '../../src/store/store.js';

import { build, type Case, clusterCase, PORTS, policy } from './policy-arbitraries.js';

const familiesOf = (c: Case): (IPFamily | undefined)[] =>
  c.dualStack ? [undefined, 'IPv4', 'IPv6'] : [undefined];
const pick = (pods: Pod[], mask: number) => (mask === 0 ? pods : pods.filter((_, i) => (mask >> i) & 1));
const name = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;

/** Every pair and port of the matrix against evaluate() on the pair, and the summary's counts. */
function checkMatrix(model: PolicyModel, from: Pod[], to: Pod[], family: IPFamily | undefined): void {
  const reach = computeReachability(model, { from, to, ports: PORTS, family });
  const withEndpoint = (pods: Pod[]) =>
    pods
      .filter((p) => model.podEndpoint(p, family))
      .map(name)
      .sort();
  assert.deepEqual(reach.from.map(name), withEndpoint(from), 'sources: the pods with an address, sorted');
  assert.deepEqual(reach.to.map(name), withEndpoint(to), 'destinations: the pods with an address, sorted');
  const allowedPerPort = PORTS.map(() => 0);
  reach.from.forEach((f, i) => {
    const fromEnd = model.podEndpoint(f, family) as Endpoint;
    reach.to.forEach((t, j) => {
      const toEnd = model.podEndpoint(t, family) as Endpoint;
      PORTS.forEach(({ port, protocol }, p) => {
        const direct = evaluate(model, { from: fromEnd, to: toEnd, port, protocol }).allowed;
        assert.equal(
          reach.allowed(i, j, p),
          direct,
          `${name(f)} -> ${name(t)} ${port}/${protocol} (${family})`,
        );
        if (direct) allowedPerPort[p]++;
      });
    });
  });
  const summary = reach.summary();
  assert.deepEqual(summary.allowedPerPort, allowedPerPort);
  assert.equal(summary.pairs, reach.from.length * reach.to.length);
}

/**
 * podClasses: members of one class get the same verdict with every other pod, as source and as
 * destination, on every port, except where a pair rule (a node to its own pods) decides.
 */
function checkClasses(model: PolicyModel, pods: Pod[], family: IPFamily | undefined): void {
  const ends = new Map(pods.map((p) => [p, model.podEndpoint(p, family)]));
  const ownNode = (f: Endpoint, t: Endpoint) =>
    f.kind === 'node' && t.kind === 'pod' && f.node === t.pod.spec.nodeName;
  const verdict = (f: Endpoint, t: Endpoint, p: PortProtocol) =>
    evaluate(model, { from: f, to: t, ...p }).allowed;
  for (const { pods: members } of podClasses(model, pods, family).classes) {
    const [m1, e1] = [members[0], ends.get(members[0]) as Endpoint];
    for (const m2 of members.slice(1)) {
      const e2 = ends.get(m2) as Endpoint;
      for (const [q, eq] of ends) {
        if (!eq || q === m1 || q === m2) continue;
        for (const p of PORTS) {
          const where = `${name(m1)} ~ ${name(m2)} with ${name(q)} ${p.port}/${p.protocol}`;
          if (!ownNode(e1, eq) && !ownNode(e2, eq))
            assert.equal(verdict(e1, eq, p), verdict(e2, eq, p), `from ${where}`);
          if (!ownNode(eq, e1) && !ownNode(eq, e2))
            assert.equal(verdict(eq, e1, p), verdict(eq, e2, p), `to ${where}`);
        }
      }
    }
  }
}

test('classes: members of a class get the same verdicts with every other pod, both ways, on every port (random clusters, NetworkPolicies and admin tiers)', () => {
  fc.assert(
    fc.property(clusterCase, (c) => {
      const store = build(c);
      const model = compilePolicyModel(store);
      for (const family of familiesOf(c)) checkClasses(model, store.list('Pod'), family);
    }),
    { seed: 20261126, numRuns: 200 },
  );
});

test('reach: every pair and port of the class matrix equals evaluate() on that pair, and summary() counts them (random clusters, NetworkPolicies and admin tiers)', () => {
  fc.assert(
    fc.property(clusterCase, (c) => {
      const store = build(c);
      const model = compilePolicyModel(store);
      const pods = store.list('Pod');
      for (const family of familiesOf(c)) {
        checkMatrix(model, pods, pods, family);
        checkMatrix(model, pick(pods, c.fromMask), pick(pods, c.toMask), family);
      }
    }),
    { seed: 20261124, numRuns: 400 },
  );
});

/** The diff the slow way: every matched pair and port, grouped as diffReachability groups them. */
function pairwiseDiff(a: Reachability, aStore: Store, b: Reachability): ReachDiff {
  const ports = PORTS.map(portProtocolString);
  const index = (pods: readonly Pod[]) => new Map(pods.map((p, i) => [name(p), i]));
  const bFrom = index(b.from);
  const bTo = index(b.to);
  const groups = new Map<string, ReachChange & { pods: { from: string; to: string }[]; pairs: number }>();
  a.from.forEach((f, i) => {
    const ib = bFrom.get(name(f));
    if (ib === undefined) return;
    a.to.forEach((t, j) => {
      const jb = bTo.get(name(t));
      if (jb === undefined) return;
      ports.forEach((port, k) => {
        const before = a.allowed(i, j, k);
        if (before === b.allowed(ib, jb, k)) return;
        const [wf, wt] = [workloadOf(aStore, f), workloadOf(aStore, t)];
        const key = `${wf} ${wt} ${k} ${before}`;
        const g = groups.get(key) ?? { from: wf, to: wt, port, before, after: !before, pairs: 0, pods: [] };
        groups.set(key, g);
        g.pairs++;
        if (g.pods.length < 3) g.pods.push({ from: name(f), to: name(t) });
      });
    });
  });
  const changes = [...groups.values()].sort(
    (x, y) =>
      (x.from < y.from ? -1 : x.from > y.from ? 1 : 0) ||
      (x.to < y.to ? -1 : x.to > y.to ? 1 : 0) ||
      ports.indexOf(x.port) - ports.indexOf(y.port) ||
      Number(y.before) - Number(x.before),
  );
  const names = (r: Reachability) => new Set([...r.from, ...r.to].map(name));
  const [inA, inB] = [names(a), names(b)];
  return {
    ports,
    changes,
    onlyInA: [...inA].filter((n) => !inB.has(n)).sort(),
    onlyInB: [...inB].filter((n) => !inA.has(n)).sort(),
  };
}

const podIndexes = (max: number) => fc.subarray([0, 1, 2, 3, 4, 5, 6, 7, 8], { maxLength: max });
const diffCase = fc.record({
  a: clusterCase,
  policies: fc.array(policy(false), { maxLength: 4 }),
  relabel: podIndexes(3),
  drop: podIndexes(2),
});

test('diff: the changes computed over joint classes equal the pair-by-pair comparison, grouped by workload and port (random policy changes, relabelled and removed pods)', () => {
  fc.assert(
    fc.property(diffCase, ({ a: c, policies, relabel, drop }) => {
      const aStore = build(c);
      // B: other NetworkPolicies (the admin tiers stay), some pods relabelled, some gone.
      const bStore = build(c, (objs) =>
        objs
          .flatMap((o) => {
            if (o.kind === 'NetworkPolicy') return [];
            const i = o.kind === 'Pod' ? Number(o.metadata.name.slice(1)) : -1;
            if (drop.includes(i)) return [];
            if (relabel.includes(i)) return [{ ...o, metadata: { ...o.metadata, labels: { app: 'b' } } }];
            return [o];
          })
          .concat(
            policies.map(({ namespace, spec }, i) => ({
              apiVersion: 'networking.k8s.io/v1',
              kind: 'NetworkPolicy',
              metadata: { name: `b${i}`, namespace },
              spec,
            })),
          ),
      );
      for (const family of familiesOf(c)) {
        const matrix = (store: Store) => {
          const pods = store.list('Pod');
          return computeReachability(compilePolicyModel(store), {
            from: pods,
            to: pods,
            ports: PORTS,
            family,
          });
        };
        const [a, b] = [matrix(aStore), matrix(bStore)];
        assert.deepEqual(diffReachability(a, aStore, b, bStore), pairwiseDiff(a, aStore, b));
      }
    }),
    { seed: 20261125, numRuns: 100 },
  );
});
