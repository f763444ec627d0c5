// Peers: who a rule's from/to list admits (networking.k8s.io/v1 NetworkPolicyPeer; Kubernetes
// docs, Network Policies, "Behavior of to and from selectors"; the upstream e2e suite
// test/e2e/network/netpol for the ipBlock cases).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { LabelSelectorRequirement, NetworkPolicyPeer } from '../../src/api/types.js';
import { engine, namespace, pod, policy, XYZ_PODS, xyz } from './engine-fixtures.js';

/** The sources (of the nine pods, x/a itself left out) that reach x/a:80 under `from`. */
function sourcesOf(from: NetworkPolicyPeer[]): string[] {
  const c = xyz([policy('x/allow', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from }] })]);
  return XYZ_PODS.filter((p) => p !== 'x/a' && c.allowed(p, 'x/a', 80));
}

const nsY = { matchLabels: { ns: 'y' } };
const podB = { matchLabels: { pod: 'b' } };

const CASES: { name: string; from: NetworkPolicyPeer[]; want: string[] }[] = [
  {
    name: 'podSelector alone selects pods in the policy namespace',
    from: [{ podSelector: podB }],
    want: ['x/b'],
  },
  {
    name: 'namespaceSelector alone selects every pod of the matching namespaces',
    from: [{ namespaceSelector: nsY }],
    want: ['y/a', 'y/b', 'y/c'],
  },
  {
    name: 'namespaceSelector and podSelector in one peer select pods matching both (AND)',
    from: [{ namespaceSelector: nsY, podSelector: podB }],
    want: ['y/b'],
  },
  {
    name: 'separate peers are alternatives (OR)',
    from: [{ namespaceSelector: nsY }, { podSelector: podB }],
    want: ['x/b', 'y/a', 'y/b', 'y/c'],
  },
  {
    name: 'an empty podSelector selects every pod of the policy namespace',
    from: [{ podSelector: {} }],
    want: ['x/b', 'x/c'],
  },
  {
    name: 'an empty namespaceSelector selects every namespace',
    from: [{ namespaceSelector: {} }],
    want: XYZ_PODS.filter((p) => p !== 'x/a'),
  },
  {
    name: 'an empty namespaceSelector with a podSelector selects those pods in every namespace',
    from: [{ namespaceSelector: {}, podSelector: podB }],
    want: ['x/b', 'y/b', 'z/b'],
  },
  {
    name: 'selectors matching nothing admit nobody',
    from: [
      { podSelector: { matchLabels: { pod: 'nobody' } } },
      { namespaceSelector: { matchLabels: { ns: 'ghost' } } },
    ],
    want: [],
  },
];

for (const { name, from, want } of CASES) {
  test(`Peers: ${name} (NetworkPolicyPeer)`, () => {
    assert.deepEqual(sourcesOf(from), want);
  });
}

const EXPRESSIONS: { expr: LabelSelectorRequirement; pods: string[]; namespaces: string[] }[] = [
  { expr: { key: 'pod', operator: 'In', values: ['b', 'c'] }, pods: ['x/b', 'x/c'], namespaces: [] },
  { expr: { key: 'pod', operator: 'NotIn', values: ['b'] }, pods: ['x/c'], namespaces: [] },
  { expr: { key: 'pod', operator: 'Exists' }, pods: ['x/b', 'x/c'], namespaces: [] },
  { expr: { key: 'pod', operator: 'DoesNotExist' }, pods: [], namespaces: [] },
  { expr: { key: 'ns', operator: 'In', values: ['y'] }, pods: [], namespaces: ['y/a', 'y/b', 'y/c'] },
  { expr: { key: 'ns', operator: 'NotIn', values: ['x', 'y'] }, pods: [], namespaces: ['z/a', 'z/b', 'z/c'] },
  { expr: { key: 'ns', operator: 'Exists' }, pods: [], namespaces: XYZ_PODS.filter((p) => p !== 'x/a') },
  { expr: { key: 'ns', operator: 'DoesNotExist' }, pods: [], namespaces: [] },
];

for (const { expr, pods, namespaces } of EXPRESSIONS) {
  const label = `${expr.key} ${expr.operator}${expr.values ? ` (${expr.values.join(',')})` : ''}`;
  test(`Peers: matchExpressions ${label} in podSelector and namespaceSelector (LabelSelectorRequirement)`, () => {
    if (expr.key === 'pod')
      assert.deepEqual(sourcesOf([{ podSelector: { matchExpressions: [expr] } }]), pods);
    else assert.deepEqual(sourcesOf([{ namespaceSelector: { matchExpressions: [expr] } }]), namespaces);
  });
}

test('Peers: matchLabels and matchExpressions of one selector are ANDed (LabelSelector)', () => {
  const sel = {
    matchLabels: { ns: 'y' },
    matchExpressions: [{ key: 'ns', operator: 'In' as const, values: ['y', 'z'] }],
  };
  assert.deepEqual(sourcesOf([{ namespaceSelector: sel }]), ['y/a', 'y/b', 'y/c']);
});

test('Peers: namespaceSelector on kubernetes.io/metadata.name selects a namespace by name (the label the API server sets)', () => {
  assert.deepEqual(
    sourcesOf([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }]),
    ['z/a', 'z/b', 'z/c'],
  );
});

test('Peers: ipBlock admits addresses in cidr but not in except, pod addresses included (upstream e2e "should enforce except clause")', () => {
  // x/b .11, y/a .13, y/b .14, z/a .16, z/b .17 are on podnet-worker's 10.244.1.0/24.
  const from = [{ ipBlock: { cidr: '10.244.1.0/24', except: ['10.244.1.14/32'] } }];
  assert.deepEqual(sourcesOf(from), ['x/b', 'y/a', 'z/a', 'z/b']);
  const c = xyz([policy('x/allow', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from }] })]);
  assert.equal(c.allowed('10.244.1.200', 'x/a', 80), true);
  assert.equal(c.end('10.244.1.200').kind, 'external');
  assert.equal(c.allowed('203.0.113.9', 'x/a', 80), false);
});

test('Peers: an egress ipBlock 0.0.0.0/0 with except leaves out the excepted ranges (IPBlock except)', () => {
  const c = xyz([
    policy('x/egress', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
    }),
  ]);
  assert.equal(c.allowed('x/a', '8.8.8.8', 53, 'UDP'), true);
  assert.equal(c.allowed('x/a', 'y/b', 80), false);
  assert.equal(c.allowed('x/a', 'node/podnet-worker2', 10250), true);
});

test('Peers: pod and namespace selectors never match nodes; ipBlock on the node network does (node addresses are not pods)', () => {
  const everyPod = xyz([
    policy('x/all-pods', { ingress: [{ from: [{ namespaceSelector: {}, podSelector: {} }] }] }),
  ]);
  // x/c runs on podnet-worker2: podnet-worker is not its own node.
  assert.equal(everyPod.allowed('node/podnet-worker', 'x/c', 80), false);
  const nodeNet = xyz([policy('x/nodes', { ingress: [{ from: [{ ipBlock: { cidr: '172.18.0.0/16' } }] }] })]);
  assert.equal(nodeNet.allowed('node/podnet-worker', 'x/c', 80), true);
  assert.equal(nodeNet.allowed('y/a', 'x/c', 80), false);
});

function dualStack() {
  return engine(
    [
      namespace('x', { ns: 'x' }),
      pod('x/server', {
        labels: { app: 'server' },
        ips: ['10.244.2.10', 'fd00:10:244:2::10'],
        node: 'podnet-worker2',
      }),
      pod('x/client', {
        labels: { app: 'client' },
        ips: ['10.244.1.10', 'fd00:10:244:1::10'],
        node: 'podnet-worker',
      }),
      pod('x/other', {
        labels: { app: 'other' },
        ips: ['10.244.1.11', 'fd00:10:244:1::11'],
        node: 'podnet-worker',
      }),
      policy('x/v6', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ from: [{ ipBlock: { cidr: 'fd00:10:244:1::/64', except: ['fd00:10:244:1::11/128'] } }] }],
      }),
    ],
    dualStackClusterConfig(),
  );
}

test('Peers: an IPv6 ipBlock admits IPv6 sources in cidr and not in except (IPBlock, IPv6)', () => {
  const c = dualStack();
  assert.equal(c.allowed('x/client', 'x/server', 80, 'TCP', 'IPv6'), true);
  assert.equal(c.allowed('x/other', 'x/server', 80, 'TCP', 'IPv6'), false);
  assert.equal(c.allowed('fd00:10:244:1::99', 'x/server', 80), true);
});

test('Peers: an ipBlock never matches an address of the other family (the same pod over IPv4 is denied)', () => {
  const c = dualStack();
  assert.equal(c.allowed('x/client', 'x/server', 80, 'TCP', 'IPv4'), false);
  assert.equal(c.allowed('x/client', 'x/server', 80), false, 'the primary family is IPv4');
});

test('Peers: pod selectors match a dual-stack pod in both families (selectors are about pods, not addresses)', () => {
  const c = engine(
    [
      namespace('x'),
      pod('x/server', {
        labels: { app: 'server' },
        ips: ['10.244.2.10', 'fd00:10:244:2::10'],
        node: 'podnet-worker2',
      }),
      pod('x/client', { labels: { app: 'client' }, ips: ['10.244.1.10', 'fd00:10:244:1::10'] }),
      policy('x/clients', {
        podSelector: { matchLabels: { app: 'server' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }],
      }),
    ],
    dualStackClusterConfig(),
  );
  assert.equal(c.allowed('x/client', 'x/server', 80, 'TCP', 'IPv4'), true);
  assert.equal(c.allowed('x/client', 'x/server', 80, 'TCP', 'IPv6'), true);
});
