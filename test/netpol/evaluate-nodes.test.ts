// Connection ends that are not pods on the pod network: the pod's own node, other nodes,
// hostNetwork pods, and addresses outside the cluster (Kubernetes docs, Network Policies: "traffic
// to and from the node where a Pod is running is always allowed"; NetworkPolicy applies to pods,
// and hostNetwork pods are their node as far as policy goes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engine, namespace, pod, policy } from './engine-fixtures.js';

function cluster(extra = [policy('x/deny-all', { policyTypes: ['Ingress', 'Egress'] })]) {
  return engine([
    namespace('x'),
    pod('x/web', { labels: { app: 'web' }, ips: ['10.244.1.10'], node: 'podnet-worker' }),
    pod('x/db', { labels: { app: 'db' }, ips: ['10.244.2.10'], node: 'podnet-worker2' }),
    // A hostNetwork pod labelled like the web pods, on web's node.
    pod('x/agent', { labels: { app: 'web' }, hostNetwork: true, node: 'podnet-worker' }),
    ...extra,
  ]);
}

test("Own node: ingress from the pod's own node is always allowed, whatever the policies (Network Policies docs)", () => {
  const c = cluster();
  const v = c.verdict('node/podnet-worker', 'x/web', 80);
  assert.equal(v.allowed, true);
  assert.equal(v.ingress.reason, 'own-node');
  assert.deepEqual(
    v.ingress.isolatedBy.map((r) => r.name),
    ['deny-all'],
  );
  assert.equal(v.egress.reason, 'not-enforced');
});

test("Own node: ingress from another node is subject to policy (only the pod's own node is exempt)", () => {
  const c = cluster();
  const v = c.verdict('node/podnet-worker2', 'x/web', 80);
  assert.equal(v.allowed, false);
  assert.equal(v.ingress.reason, 'policy-deny');
});

test("Own node: a hostNetwork pod on the destination's node is that node (own-node applies)", () => {
  const c = cluster();
  assert.deepEqual(c.end('x/agent'), {
    kind: 'node',
    node: 'podnet-worker',
    ip: c.end('node/podnet-worker').ip,
    pod: c.pod('x/agent'),
  });
  assert.equal(c.verdict('x/agent', 'x/web', 80).ingress.reason, 'own-node');
  assert.equal(c.allowed('x/agent', 'x/db', 80), false);
});

test('Not enforced: egress of a node, a hostNetwork pod or an outside address is not policed', () => {
  const c = cluster();
  for (const from of ['node/podnet-worker2', 'x/agent', '203.0.113.9']) {
    const v = c.direction('Egress', from, 'x/db', 80);
    assert.deepEqual([v.allowed, v.reason, v.isolatedBy], [true, 'not-enforced', []], from);
  }
});

test('Not enforced: ingress to a node, a hostNetwork pod or an outside address is not policed', () => {
  const c = cluster([policy('x/deny-ingress', { policyTypes: ['Ingress'] })]);
  for (const to of ['node/podnet-worker2', 'x/agent', '203.0.113.9']) {
    const v = c.verdict('x/db', to, 80);
    assert.deepEqual([v.allowed, v.ingress.reason], [true, 'not-enforced'], to);
  }
});

test('hostNetwork: a policy never selects a hostNetwork pod as its subject, even when its labels match', () => {
  const c = cluster([
    policy('x/deny-web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
    }),
  ]);
  assert.deepEqual(c.model.isolatedBy(c.pod('x/agent'), 'Ingress'), []);
  assert.deepEqual(c.model.isolatedBy(c.pod('x/agent'), 'Egress'), []);
  assert.equal(c.model.isolatedBy(c.pod('x/web'), 'Ingress').length, 1);
  assert.equal(c.allowed('x/agent', 'x/db', 80), true);
});

test('hostNetwork: pod selectors in peers never match a hostNetwork pod; an ipBlock on its node address does', () => {
  const byLabel = cluster([
    policy('x/from-web', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    }),
  ]);
  assert.equal(byLabel.allowed('x/web', 'x/db', 5432), true);
  assert.equal(byLabel.allowed('x/agent', 'x/db', 5432), false);

  const byAddress = cluster([
    policy('x/from-worker', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ ipBlock: { cidr: '172.18.0.3/32' } }] }],
    }),
  ]);
  assert.equal(byAddress.allowed('x/agent', 'x/db', 5432), true);
  assert.equal(byAddress.direction('Ingress', 'x/agent', 'x/db', 5432).reason, 'policy-allow');
});

test('hostNetwork: egress to a hostNetwork pod is egress to its node address (matched by ipBlock, not podSelector)', () => {
  const c = cluster([
    policy('x/db-egress', {
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'web' } } }] },
        { to: [{ ipBlock: { cidr: '172.18.0.2/32' } }] },
      ],
    }),
  ]);
  assert.equal(c.allowed('x/db', 'x/web', 80), true);
  assert.equal(c.allowed('x/db', 'x/agent', 80), false);
  assert.equal(c.allowed('x/db', 'node/podnet-control-plane', 6443), true);
});

test('External: traffic from outside the cluster is admitted only by ipBlock rules or rules without peers', () => {
  const c = cluster([
    policy('x/web-ingress', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        { from: [{ namespaceSelector: {} }] },
        { from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 443 }] },
      ],
    }),
  ]);
  assert.equal(c.allowed('203.0.113.9', 'x/web', 443), false);
  assert.equal(c.allowed('198.51.100.7', 'x/web', 443), true);
  assert.equal(c.allowed('198.51.100.7', 'x/web', 80), false);
  assert.equal(c.allowed('x/db', 'x/web', 80), true);
});
