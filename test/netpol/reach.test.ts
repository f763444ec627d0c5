import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { computeReachability, type Reachability } from '../../src/netpol/reach.js';
import type { PortProtocol } from '../../src/netpol/types.js';
import { type EngineCluster, engine, namespace, pod, policy } from './engine-fixtures.js';

const ref = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;
const TCP80: PortProtocol = { port: 80, protocol: 'TCP' };
const TCP81: PortProtocol = { port: 81, protocol: 'TCP' };
const denyIngress = (ns: string) => policy(`${ns}/deny-ingress`, { policyTypes: ['Ingress'] });

/**
 * The matrix for one port as the upstream e2e suite prints its truth tables: a row per source,
 * `.` for allowed and `X` for blocked, destinations in column order.
 */
function truthTable(r: Reachability, port = 0): string[] {
  return r.from.map(
    (f, i) => `${ref(f)} ${r.to.map((_, j) => (r.allowed(i, j, port) ? '.' : 'X')).join('')}`,
  );
}

function matrix(c: EngineCluster, refs: string[], ports = [TCP80], family?: 'IPv4' | 'IPv6'): Reachability {
  const pods = refs.map((r) => c.pod(r));
  return computeReachability(c.model, { from: pods, to: pods, ports, family });
}

/** The allowed pairs per port, counted pair by pair. */
function countAllowed(r: Reachability): number[] {
  return r.ports.map((_, p) => {
    let n = 0;
    for (let i = 0; i < r.from.length; i++) for (let j = 0; j < r.to.length; j++) if (r.allowed(i, j, p)) n++;
    return n;
  });
}

const xyz = (): KubeObject[] => [
  namespace('x'),
  namespace('y'),
  pod('x/a', { node: 'podnet-worker' }),
  pod('x/b', { node: 'podnet-worker2' }),
  pod('y/c', { node: 'podnet-worker' }),
];

test('reach: a pod reaching itself is allowed whatever the policies (upstream e2e Reachability.AllowLoopback)', () => {
  const c = engine([...xyz(), policy('x/deny-all', { policyTypes: ['Ingress', 'Egress'] })]);
  const r = matrix(c, ['x/a', 'x/b', 'y/c']);
  assert.deepEqual(truthTable(r), ['x/a .XX', 'x/b X.X', 'y/c XX.']);
  assert.equal(r.verdict(0, 0, 0).allowed, true);
  assert.equal(r.verdict(0, 0, 0).ingress.reason, 'self');
});

test('reach: a hostNetwork pod reaches the pods on its own node through ingress isolation, not those on other nodes (traffic from the node is always allowed)', () => {
  const c = engine([...xyz(), pod('y/h', { hostNetwork: true, node: 'podnet-worker' }), denyIngress('x')]);
  const r = matrix(c, ['x/a', 'x/b', 'y/h']);
  // x/a and x/b are one class: only the own-node rule tells their column of y/h apart.
  assert.deepEqual(truthTable(r), ['x/a .X.', 'x/b X..', 'y/h .X.']);
  assert.equal(r.verdict(2, 0, 0).ingress.reason, 'own-node');
  assert.equal(r.verdict(2, 1, 0).ingress.reason, 'policy-deny');
  assert.deepEqual(r.summary().allowedPerPort, countAllowed(r));
});

test('reach: summary() counts allowed pairs per port from class sizes, with the pair rules, without expanding pairs', () => {
  const objects = [
    ...xyz(),
    pod('x/d', { node: 'podnet-worker', labels: { app: 'web' } }),
    pod('y/h', { hostNetwork: true, node: 'podnet-worker' }),
    pod('y/h2', { hostNetwork: true, node: 'podnet-worker2' }),
    policy('x/deny', {}),
    policy('x/web-81', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 81 }] }],
    }),
  ];
  const c = engine(objects);
  const r = matrix(c, ['x/a', 'x/b', 'x/d', 'y/c', 'y/h', 'y/h2'], [TCP80, TCP81]);
  const s = r.summary();
  assert.deepEqual(s.allowedPerPort, countAllowed(r));
  // 80: into y, all 6 sources x 3 destinations; into x, loopback (3) and own node (y/h to x/a
  // and x/d, y/h2 to x/b): 18 + 3 + 3. 81: x/d also admits the other pod-network pods (+3).
  // Classes: {x/a, x/b}, {x/d}, {y/c}, {y/h, y/h2}.
  assert.deepEqual(s, { pairs: 36, classes: { from: 4, to: 4 }, allowedPerPort: [24, 27] });
});

test('reach: verdict() explains the pair itself (evaluate on the two pods)', () => {
  const c = engine([...xyz(), denyIngress('x')]);
  const r = matrix(c, ['x/a', 'x/b', 'y/c']);
  const v = r.verdict(2, 0, 0);
  assert.equal(v.allowed, false);
  assert.equal(v.ingress.reason, 'policy-deny');
  assert.deepEqual(v.ingress.isolatedBy, [{ kind: 'NetworkPolicy', namespace: 'x', name: 'deny-ingress' }]);
  assert.equal(v.egress.reason, 'not-isolated');
});

test('reach: from and to are sorted by namespace/name, each pod once, without pods that have no address of the family', () => {
  const c = engine([
    ...xyz(),
    pod('x/done', { ips: ['10.244.1.50'], phase: 'Failed' }),
    pod('x/pending', { node: 'podnet-nowhere' }),
  ]);
  const pods = ['y/c', 'x/pending', 'x/b', 'x/done', 'x/a', 'y/c'].map((r) => c.pod(r));
  const r = computeReachability(c.model, { from: pods, to: pods.slice(0, 3), ports: [TCP80] });
  assert.deepEqual(r.from.map(ref), ['x/a', 'x/b', 'y/c']);
  assert.deepEqual(r.to.map(ref), ['x/b', 'y/c']);
  assert.equal(r.summary().pairs, 6);
});

test('reach: one address family per matrix; an IPv4 ipBlock matches no IPv6 address (IPBlock.cidr)', () => {
  const c = engine(
    [...xyz(), policy('x/from-v4-pods', { ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16' } }] }] })],
    dualStackClusterConfig(),
  );
  assert.deepEqual(truthTable(matrix(c, ['x/a', 'y/c'], [TCP80], 'IPv4')), ['x/a ..', 'y/c ..']);
  assert.deepEqual(truthTable(matrix(c, ['x/a', 'y/c'], [TCP80], 'IPv6')), ['x/a ..', 'y/c X.']);
  // Without a family, each pod's primary address: the cluster's first family, IPv4.
  assert.deepEqual(truthTable(matrix(c, ['x/a', 'y/c'])), ['x/a ..', 'y/c ..']);
});

test('reach: sources and destinations may differ; ports are answered each on their own (NetworkPolicyPort)', () => {
  const c = engine([...xyz(), policy('x/only-81', { ingress: [{ ports: [{ port: 81 }] }] })]);
  const [a, b, yc] = ['x/a', 'x/b', 'y/c'].map((r) => c.pod(r));
  const r = computeReachability(c.model, { from: [yc], to: [a, b], ports: [TCP80, TCP81] });
  assert.deepEqual([truthTable(r, 0), truthTable(r, 1)], [['y/c XX'], ['y/c ..']]);
  assert.deepEqual(r.summary(), { pairs: 2, classes: { from: 1, to: 1 }, allowedPerPort: [0, 2] });
});
