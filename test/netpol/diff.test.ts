import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, Pod, PodSpec } from '../../src/api/types.js';
import { diffReachability, workloadOf } from '../../src/netpol/diff.js';
import { computeReachability } from '../../src/netpol/reach.js';
import { type EngineCluster, engine, namespace, pod, policy } from './engine-fixtures.js';

const ref = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;

function template(app: string, spec: Partial<PodSpec> = {}) {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: 'main', image: 'agnhost' }], ...spec },
  };
}

function workload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  key: string,
  { replicas = 2, spec = {} }: { replicas?: number; spec?: Partial<PodSpec> } = {},
) {
  const [ns, name] = key.split('/');
  const selector = { matchLabels: { app: name } };
  const base = { apiVersion: 'apps/v1', kind, metadata: { name, namespace: ns } };
  if (kind === 'DaemonSet') return { ...base, spec: { selector, template: template(name, spec) } };
  if (kind === 'StatefulSet')
    return { ...base, spec: { replicas, serviceName: name, selector, template: template(name, spec) } };
  return { ...base, spec: { replicas, selector, template: template(name, spec) } };
}

const owned = (key: string, kind: string, owner: string): Pod => {
  const p = pod(key);
  const apiVersion = kind === 'Job' ? 'batch/v1' : 'apps/v1';
  p.metadata.ownerReferences = [{ apiVersion, kind, name: owner, uid: owner, controller: true }];
  return p;
};

/** x: Deployment web (one pod per worker), StatefulSet db, hostNetwork DaemonSet agent; y: Deployment client. */
const shop = (): KubeObject[] => [
  namespace('x'),
  namespace('y'),
  workload('Deployment', 'x/web'),
  workload('StatefulSet', 'x/db', { replicas: 1 }),
  workload('DaemonSet', 'x/agent', { spec: { hostNetwork: true } }),
  workload('Deployment', 'y/client'),
];

/** The matrix on 80/TCP over the pods of x and y. */
function reach(c: EngineCluster) {
  const pods = [...c.store.list('Pod', 'x'), ...c.store.list('Pod', 'y')];
  return computeReachability(c.model, { from: pods, to: pods, ports: [{ port: 80, protocol: 'TCP' }] });
}

test('workloadOf: the controlling workload, through a ReplicaSet to its Deployment; a bare pod is itself (ownerReferences, controller: true)', () => {
  const c = engine([
    ...shop(),
    pod('x/bare'),
    owned('x/job-pod', 'Job', 'nightly'),
    owned('x/orphan-rs-pod', 'ReplicaSet', 'gone'),
  ]);
  const byWorkload = new Map<string, string[]>();
  for (const p of c.store.list('Pod', 'x')) {
    const w = workloadOf(c.store, p);
    byWorkload.set(w, [...(byWorkload.get(w) ?? []), p.metadata.name]);
  }
  assert.deepEqual([...byWorkload].map(([w, pods]) => [w, pods.length]).sort(), [
    ['DaemonSet/x/agent', 2],
    ['Deployment/x/web', 2],
    ['Job/x/nightly', 1],
    ['Pod/x/bare', 1],
    ['ReplicaSet/x/gone', 1],
    ['StatefulSet/x/db', 1],
  ]);
});

test('diff: a default-deny ingress policy changes every connection into its namespace except loopback and own-node ones, grouped by workload and port', () => {
  const a = engine(shop());
  const b = engine([...shop(), policy('x/deny-ingress', {})]);
  const d = diffReachability(reach(a), a.store, reach(b), b.store);
  assert.deepEqual(d.ports, ['80/TCP']);
  assert.deepEqual(d.onlyInA, []);
  assert.deepEqual(d.onlyInB, []);
  assert.deepEqual(
    d.changes.map((ch) => [ch.from, ch.to, ch.port, ch.before, ch.after, ch.pairs]),
    [
      // The agent's pods are their nodes: each still reaches the web pod on its own node.
      ['DaemonSet/x/agent', 'Deployment/x/web', '80/TCP', true, false, 2],
      ['DaemonSet/x/agent', 'StatefulSet/x/db', '80/TCP', true, false, 1],
      // Each web pod still reaches itself.
      ['Deployment/x/web', 'Deployment/x/web', '80/TCP', true, false, 2],
      ['Deployment/x/web', 'StatefulSet/x/db', '80/TCP', true, false, 2],
      ['Deployment/y/client', 'Deployment/x/web', '80/TCP', true, false, 4],
      ['Deployment/y/client', 'StatefulSet/x/db', '80/TCP', true, false, 2],
      ['StatefulSet/x/db', 'Deployment/x/web', '80/TCP', true, false, 2],
    ],
  );
  // Examples are real changed pairs, the first ones by source then destination, at most three.
  const matrixA = reach(a);
  const matrixB = reach(b);
  const index = (pods: readonly Pod[]) => new Map(pods.map((p, i) => [ref(p), i]));
  const [fromA, toA, fromB, toB] = [
    index(matrixA.from),
    index(matrixA.to),
    index(matrixB.from),
    index(matrixB.to),
  ];
  for (const ch of d.changes) {
    assert.equal(ch.pods.length, Math.min(3, ch.pairs));
    for (const { from, to } of ch.pods) {
      const before = matrixA.allowed(fromA.get(from) as number, toA.get(to) as number, 0);
      const after = matrixB.allowed(fromB.get(from) as number, toB.get(to) as number, 0);
      assert.deepEqual([before, after], [ch.before, ch.after], `${from} -> ${to}`);
    }
    const order = ch.pods.map(({ from, to }) => [fromA.get(from) as number, toA.get(to) as number]);
    assert.deepEqual(
      order,
      [...order].sort((p, q) => p[0] - q[0] || p[1] - q[1]),
    );
  }
  const agentToWeb = d.changes[0].pods;
  for (const { from, to } of agentToWeb)
    assert.notEqual(a.pod(from).spec.nodeName, a.pod(to).spec.nodeName, 'own-node pairs do not change');
});

test('diff: sources that agree give no changes; pods of one source only are listed apart, by namespace/name', () => {
  const a = engine([...shop(), pod('y/old')]);
  const b = engine([...shop(), pod('y/new')]);
  const d = diffReachability(reach(a), a.store, reach(b), b.store);
  assert.deepEqual(d.changes, []);
  assert.deepEqual(d.onlyInA, ['y/old']);
  assert.deepEqual(d.onlyInB, ['y/new']);
});

test('diff: only the ports both matrices hold are compared, in the order of the first', () => {
  const a = engine(shop());
  const b = engine(shop());
  const pods = (c: EngineCluster) => c.store.list('Pod', 'y');
  const ra = computeReachability(a.model, {
    from: pods(a),
    to: pods(a),
    ports: [
      { port: 443, protocol: 'TCP' },
      { port: 80, protocol: 'TCP' },
    ],
  });
  const rb = computeReachability(b.model, {
    from: pods(b),
    to: pods(b),
    ports: [
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ],
  });
  assert.deepEqual(diffReachability(ra, a.store, rb, b.store).ports, ['443/TCP', '80/TCP']);
});
