import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/api/types.js';
import { podClasses } from '../../src/netpol/classes.js';
import { cnp } from './admin-fixtures.js';
import { type EngineCluster, engine, namespace, pod, policy } from './engine-fixtures.js';

const ref = (p: { metadata: { namespace?: string; name: string } }) =>
  `${p.metadata.namespace}/${p.metadata.name}`;

/** The classes of the given pods, as lists of `ns/name`. */
function classesOf(c: EngineCluster, refs: readonly string[]): string[][] {
  const classes = podClasses(
    c.model,
    refs.map((r) => c.pod(r)),
  );
  return classes.classes.map((k) => k.pods.map(ref));
}

const http = (containerPort: number, protocol: 'TCP' | 'UDP' = 'TCP') => [
  { name: 'http', containerPort, protocol },
];
const web = { app: 'web' };

const cases: { name: string; objects: KubeObject[]; pods: string[]; classes: string[][] }[] = [
  {
    name: 'classes: with no policy, nothing tells pods apart (one class)',
    objects: [
      namespace('x'),
      namespace('y'),
      pod('x/a', { labels: web }),
      pod('x/b', { labels: { app: 'db' } }),
      pod('y/c', { labels: { tier: 'be' } }),
    ],
    pods: ['x/a', 'x/b', 'y/c'],
    classes: [['x/a', 'x/b', 'y/c']],
  },
  {
    name: 'classes: pods a podSelector selects are apart from those it does not (NetworkPolicySpec.podSelector)',
    objects: [
      namespace('x'),
      pod('x/a', { labels: web }),
      pod('x/b', { labels: web }),
      pod('x/c', { labels: { app: 'db' } }),
      policy('x/web', { podSelector: { matchLabels: web } }),
    ],
    pods: ['x/a', 'x/b', 'x/c'],
    classes: [['x/a', 'x/b'], ['x/c']],
  },
  {
    name: 'classes: namespaces with the same labels behave alike; a namespaceSelector tells others apart (NetworkPolicyPeer.namespaceSelector)',
    objects: [
      namespace('x'),
      namespace('y', { team: 'a' }),
      namespace('z', { team: 'a' }),
      namespace('w', { team: 'b' }),
      ...['y', 'z', 'w'].map((ns) => pod(`${ns}/p`, { labels: web })),
      policy('x/from-team-a', {
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }],
      }),
    ],
    pods: ['w/p', 'y/p', 'z/p'],
    classes: [['w/p'], ['y/p', 'z/p']],
  },
  {
    name: 'classes: an ipBlock except entry is a CIDR of its own (IPBlock.except)',
    objects: [
      namespace('x'),
      pod('x/a', { labels: web, node: 'podnet-worker' }),
      pod('x/b', { labels: web, node: 'podnet-worker2' }),
      pod('x/c', { labels: web, node: 'podnet-worker2' }),
      policy('x/block', {
        podSelector: { matchLabels: { app: 'none' } },
        ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] } }] }],
      }),
    ],
    pods: ['x/a', 'x/b', 'x/c'],
    classes: [['x/a'], ['x/b', 'x/c']],
  },
  {
    name: 'classes: pods on which the port name of a rule means another port or protocol are apart; unused names do not count (NetworkPolicyPort.port, named)',
    objects: [
      namespace('x'),
      pod('x/a', { labels: web, ports: http(80) }),
      pod('x/b', { labels: web, ports: http(80) }),
      pod('x/c', { labels: web, ports: http(8080) }),
      pod('x/d', { labels: web, ports: http(80, 'UDP') }),
      pod('x/e', { labels: web }),
      pod('x/f', { labels: web, ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }] }),
      policy('x/http', {
        podSelector: { matchLabels: { app: 'none' } },
        ingress: [{ ports: [{ port: 'http' }] }],
      }),
    ],
    pods: ['x/a', 'x/b', 'x/c', 'x/d', 'x/e', 'x/f'],
    classes: [['x/a', 'x/b'], ['x/c'], ['x/d'], ['x/e', 'x/f']],
  },
  {
    name: 'classes: hostNetwork pods are their node, never in a class with pod-network pods (NetworkPolicy never selects them)',
    objects: [
      namespace('x'),
      pod('x/a', { labels: web, ports: http(80) }),
      pod('x/h', { labels: web, ports: http(80), hostNetwork: true, node: 'podnet-worker' }),
      pod('x/h2', { labels: web, ports: http(80), hostNetwork: true, node: 'podnet-worker2' }),
      policy('x/http', { ingress: [{ ports: [{ port: 'http' }] }] }),
    ],
    pods: ['x/a', 'x/h', 'x/h2'],
    classes: [['x/a'], ['x/h', 'x/h2']],
  },
  {
    name: 'classes: hostNetwork pods on nodes a nodes peer tells apart are apart (ClusterNetworkPolicy egress peer nodes)',
    objects: [
      namespace('x'),
      pod('x/h', { labels: web, hostNetwork: true, node: 'podnet-worker' }),
      pod('x/h2', { labels: web, hostNetwork: true, node: 'podnet-worker2' }),
      cnp('to-worker', {
        egress: [
          { action: 'Deny', to: [{ nodes: { matchLabels: { 'kubernetes.io/hostname': 'podnet-worker' } } }] },
        ],
      }),
    ],
    pods: ['x/h', 'x/h2'],
    classes: [['x/h'], ['x/h2']],
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(classesOf(engine(c.objects), c.pods), c.classes);
  });
}

test('classes: numbered by first member; members sorted by namespace/name, the first is the representative', () => {
  const c = engine([
    namespace('x'),
    namespace('y'),
    pod('y/a', { labels: web }),
    pod('x/b'),
    pod('x/a', { labels: web }),
    policy('x/web', { podSelector: { matchLabels: web } }),
  ]);
  const pods = ['y/a', 'x/b', 'x/a'].map((r) => c.pod(r));
  const classes = podClasses(c.model, pods);
  assert.deepEqual(
    classes.classes.map((k) => ({ id: k.id, pods: k.pods.map(ref) })),
    [
      { id: 0, pods: ['x/a'] },
      { id: 1, pods: ['x/b', 'y/a'] },
    ],
  );
  assert.deepEqual(
    pods.map((p) => classes.classOf(p)),
    [1, 1, 0],
  );
});

test('classes: pods without an address of the family (finished, or another family) are not classified', () => {
  const c = engine([
    namespace('x'),
    pod('x/running', { ips: ['10.244.1.10'] }),
    pod('x/done', { ips: ['10.244.1.11'], phase: 'Succeeded' }),
  ]);
  const pods = [c.pod('x/running'), c.pod('x/done')];
  const v4 = podClasses(c.model, pods);
  assert.deepEqual(
    v4.classes.map((k) => k.pods.map(ref)),
    [['x/running']],
  );
  assert.equal(v4.classOf(c.pod('x/done')), -1);
  const v6 = podClasses(c.model, pods, 'IPv6');
  assert.deepEqual(v6.classes, []);
  assert.equal(v6.classOf(c.pod('x/running')), -1);
});
