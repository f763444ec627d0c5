// The trace between connection ends (src/trace/trace.ts, deliver.ts): one hop per layer, each
// carrying the engine's verdict and the rules that decided it, located by field path. One test
// per verdict reason of the engine.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject, Protocol } from '../../src/api/types.js';
import type { DeliveryHop, PolicyHop, Trace } from '../../src/trace/types.js';
import { cnp, tcp } from '../netpol/admin-fixtures.js';
import { type EngineCluster, engine, namespace, pod, policy, xyz } from '../netpol/engine-fixtures.js';
import { service, traceIn } from './fixtures.js';

/** FROM and TO as the engine tests name ends (`x/a`, `node/NAME`, an address), on port/protocol. */
function trace(c: EngineCluster, from: string, to: string, port: number, protocol: Protocol = 'TCP'): Trace {
  const host = to.includes(':') ? `[${to}]` : to;
  return traceIn(c, from, `${host}:${port}/${protocol}`);
}

const egress = (t: Trace) => t.hops.find((h) => h.kind === 'egress-policy') as PolicyHop;
const ingress = (t: Trace) => t.hops.find((h) => h.kind === 'ingress-policy') as PolicyHop;
const delivery = (t: Trace) => t.hops.find((h) => h.kind === 'delivery') as DeliveryHop | undefined;

test('trace: hops in the order a packet meets them: source, egress policy, ingress policy, delivery', () => {
  const t = trace(xyz(), 'x/a', 'y/b', 80);
  assert.deepEqual(
    t.hops.map((h) => h.kind),
    ['source', 'egress-policy', 'ingress-policy', 'delivery'],
  );
  assert.equal(t.verdict, 'delivered');
  assert.deepEqual(t.hops[0], {
    kind: 'source',
    endpoint: { kind: 'pod', pod: 'x/a', ip: '10.244.1.10', node: 'podnet-worker' },
  });
  assert.deepEqual(t.endpoint, { pod: 'y/b', ip: '10.244.1.14', port: 80 });
});

test('trace: a pod no policy selects is not isolated in either direction (pods are non-isolated by default)', () => {
  const t = trace(xyz(), 'x/a', 'y/b', 80);
  for (const hop of [egress(t), ingress(t)]) {
    assert.equal(hop.reason, 'not-isolated');
    assert.equal(hop.allowed, true);
    assert.equal(hop.tier, undefined);
    assert.deepEqual(hop.isolatedBy, []);
    assert.deepEqual(hop.decidedBy, []);
  }
  assert.deepEqual(egress(t).endpoint, { kind: 'pod', pod: 'x/a', ip: '10.244.1.10', node: 'podnet-worker' });
  assert.deepEqual(ingress(t).endpoint, {
    kind: 'pod',
    pod: 'y/b',
    ip: '10.244.1.14',
    node: 'podnet-worker',
  });
});

test('trace: an allowing NetworkPolicy rule is named with its rule, peer and port indexes and field paths', () => {
  const c = xyz([
    policy('y/allow', {
      podSelector: { matchLabels: { pod: 'b' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { pod: 'c' } } }] },
        {
          from: [
            { podSelector: { matchLabels: { pod: 'c' } } },
            { namespaceSelector: { matchLabels: { ns: 'x' } }, podSelector: { matchLabels: { pod: 'a' } } },
          ],
          ports: [{ port: 81 }, { port: 'serve-80-tcp' }],
        },
      ],
    }),
  ]);
  const hop = ingress(trace(c, 'x/a', 'y/b', 80));
  assert.equal(hop.reason, 'policy-allow');
  assert.equal(hop.tier, 'NetworkPolicy');
  assert.deepEqual(hop.isolatedBy, ['NetworkPolicy/y/allow']);
  assert.deepEqual(hop.decidedBy, [
    {
      policy: 'NetworkPolicy/y/allow',
      action: 'Allow',
      rule: 1,
      peer: 1,
      port: 1,
      field: 'spec.ingress[1]',
      peerField: 'spec.ingress[1].from[1]',
      portField: 'spec.ingress[1].ports[1]',
    },
  ]);
});

test('trace: a rule without from or ports matches every peer and port, and says so by leaving the indexes out', () => {
  const c = xyz([policy('y/allow-all', { podSelector: {}, ingress: [{}] })]);
  assert.deepEqual(ingress(trace(c, 'x/a', 'y/b', 80)).decidedBy, [
    { policy: 'NetworkPolicy/y/allow-all', action: 'Allow', rule: 0, field: 'spec.ingress[0]' },
  ]);
});

test('trace: an isolated pod no rule allows is denied; both policy hops are shown and nothing is delivered', () => {
  const c = xyz([policy('y/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
  const t = trace(c, 'x/a', 'y/b', 80);
  assert.equal(t.verdict, 'denied');
  assert.equal(t.endpoint, undefined);
  assert.equal(delivery(t), undefined);
  assert.equal(egress(t).allowed, true);
  assert.deepEqual(
    {
      reason: ingress(t).reason,
      allowed: ingress(t).allowed,
      isolatedBy: ingress(t).isolatedBy,
      decidedBy: ingress(t).decidedBy,
    },
    { reason: 'policy-deny', allowed: false, isolatedBy: ['NetworkPolicy/y/deny-all'], decidedBy: [] },
  );
  // Egress is decided at the source even when the packet is dropped there.
  const back = trace(c, 'y/b', 'x/a', 80);
  assert.equal(back.verdict, 'denied');
  assert.equal(egress(back).reason, 'policy-deny');
  assert.equal(ingress(back).reason, 'not-isolated');
});

const NODE_POD = pod('kube-system/agent', {
  hostNetwork: true,
  node: 'podnet-worker',
  ips: ['172.18.0.3'],
  ports: [{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }],
});

test('trace: traffic from a node to its own pods is allowed whatever policies say (own-node rule)', () => {
  const c = xyz([NODE_POD, policy('x/deny-all', { podSelector: {} })]);
  const own = trace(c, 'node/podnet-worker', 'x/a', 80);
  assert.equal(own.verdict, 'delivered');
  assert.equal(ingress(own).reason, 'own-node');
  assert.deepEqual(ingress(own).isolatedBy, ['NetworkPolicy/x/deny-all']);
  // x/c runs on podnet-worker2: the same node traffic is then subject to the policy.
  assert.equal(trace(c, 'node/podnet-worker', 'x/c', 80).verdict, 'denied');
});

test('trace: a hostNetwork pod is its node: its egress is not enforced and its traffic is the node own-node traffic', () => {
  const c = xyz([NODE_POD, policy('x/deny-all', { podSelector: {} })]);
  const t = trace(c, 'kube-system/agent', 'x/a', 80);
  assert.deepEqual(t.hops[0], {
    kind: 'source',
    endpoint: { kind: 'node', node: 'podnet-worker', ip: '172.18.0.3', pod: 'kube-system/agent' },
  });
  assert.equal(egress(t).reason, 'not-enforced');
  assert.equal(ingress(t).reason, 'own-node');
});

test('trace: an outside source matches ipBlock peers, except clauses included (NetworkPolicyPeer ipBlock)', () => {
  const c = xyz([
    policy('y/from-docs', {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }],
    }),
    service('y/b-nodeport', {
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      // The engine's pods carry no Ready condition: publish them anyway.
      publishNotReadyAddresses: true,
      selector: { pod: 'b' },
      ports: [{ port: 80, nodePort: 30080 }],
    }),
  ]);
  // An outside client reaches a pod only through a node (a NodePort; Local keeps its address).
  const outside = (ip: string) => traceIn(c, ip, '172.18.0.3:30080');
  const inside = outside('203.0.113.10');
  assert.equal(inside.verdict, 'delivered');
  assert.deepEqual(inside.hops[0], { kind: 'source', endpoint: { kind: 'external', ip: '203.0.113.10' } });
  assert.equal(egress(inside).reason, 'not-enforced');
  assert.equal(ingress(inside).decidedBy[0].peerField, 'spec.ingress[0].from[0]');
  const excepted = outside('203.0.113.200');
  assert.equal(excepted.verdict, 'denied');
  assert.equal(ingress(excepted).reason, 'policy-deny');
});

test('trace: a connection to an outside address is delivered out of the cluster; what answers there is not claimed', () => {
  const t = trace(xyz(), 'x/a', '198.51.100.20', 443);
  assert.equal(t.verdict, 'delivered');
  assert.equal(ingress(t).reason, 'not-enforced');
  assert.deepEqual(delivery(t), {
    kind: 'delivery',
    endpoint: { kind: 'external', ip: '198.51.100.20' },
    port: 443,
    protocol: 'TCP',
  });
  assert.deepEqual(t.endpoint, { ip: '198.51.100.20', port: 443 });
});

test('trace: delivery names the container declaring the port, or says none does (the connection is still delivered)', () => {
  const c = xyz();
  assert.deepEqual(delivery(trace(c, 'x/a', 'y/b', 81, 'UDP')), {
    kind: 'delivery',
    endpoint: { kind: 'pod', pod: 'y/b', ip: '10.244.1.14', node: 'podnet-worker' },
    port: 81,
    protocol: 'UDP',
    declared: true,
    pod: 'y/b',
    container: 'main',
    portName: 'serve-81-udp',
  });
  const undeclared = trace(c, 'x/a', 'y/b', 8080);
  assert.equal(undeclared.verdict, 'delivered');
  assert.equal(delivery(undeclared)?.declared, false);
  assert.equal(delivery(undeclared)?.container, undefined);
});

test('trace: on a node, a port is declared by a hostNetwork pod bound there (its containerPort is a node port)', () => {
  const c = xyz([NODE_POD]);
  const t = trace(c, 'x/a', 'node/podnet-worker', 9100);
  assert.equal(ingress(t).reason, 'not-enforced');
  assert.deepEqual(delivery(t), {
    kind: 'delivery',
    endpoint: { kind: 'node', node: 'podnet-worker', ip: '172.18.0.3' },
    port: 9100,
    protocol: 'TCP',
    declared: true,
    pod: 'kube-system/agent',
    container: 'main',
    portName: 'metrics',
  });
  assert.deepEqual(t.endpoint, { pod: 'kube-system/agent', ip: '172.18.0.3', port: 9100 });
  assert.equal(delivery(trace(c, 'x/a', 'node/podnet-worker2', 9100))?.declared, false);
});

test('trace: a pod to itself never leaves the pod, so no policy sees it, even deny-all ("a pod cannot block access to itself")', () => {
  const c = xyz([policy('x/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
  const t = trace(c, 'x/a', 'x/a', 80);
  assert.equal(t.verdict, 'delivered');
  assert.equal(egress(t).reason, 'self');
  assert.equal(ingress(t).reason, 'self');
  assert.deepEqual(egress(t).isolatedBy, ['NetworkPolicy/x/deny-all']);
});

test('trace: the Admin tier decides before NetworkPolicies; Pass rules are listed with the protocols field of v1alpha2', () => {
  const c = xyz([
    cnp('pass-80', {
      priority: 5,
      subject: { namespaces: { matchLabels: { ns: 'y' } } },
      ingress: [{ name: 'pass-web', action: 'Pass', from: [{ namespaces: {} }], protocols: [tcp(80)] }],
    }),
    cnp('deny-x', {
      priority: 10,
      subject: { namespaces: { matchLabels: { ns: 'y' } } },
      ingress: [
        {
          name: 'deny-81',
          action: 'Deny',
          from: [{ namespaces: { matchLabels: { ns: 'x' } } }],
          protocols: [tcp(81)],
        },
      ],
    }),
  ]);
  const denied = ingress(trace(c, 'x/a', 'y/b', 81));
  assert.equal(denied.reason, 'admin-deny');
  assert.equal(denied.tier, 'Admin');
  assert.deepEqual(denied.decidedBy, [
    {
      policy: 'ClusterNetworkPolicy/deny-x',
      action: 'Deny',
      rule: 0,
      ruleName: 'deny-81',
      priority: 10,
      peer: 0,
      port: 0,
      field: 'spec.ingress[0]',
      peerField: 'spec.ingress[0].from[0]',
      portField: 'spec.ingress[0].protocols[0]',
    },
  ]);
  const passed = ingress(trace(c, 'x/a', 'y/b', 80));
  assert.equal(passed.reason, 'not-isolated');
  assert.deepEqual(
    passed.passedBy.map((r) => [r.policy, r.ruleName, r.portField]),
    [['ClusterNetworkPolicy/pass-80', 'pass-web', 'spec.ingress[0].protocols[0]']],
  );
});

test('trace: IPv6 ends and ipBlock in a dual-stack cluster (NetworkPolicy ipBlock, IPv6)', () => {
  const objects: KubeObject[] = [
    namespace('x', { ns: 'x' }),
    pod('x/a', { ips: ['10.244.1.10', 'fd00:10:244:1::a'], labels: { pod: 'a' } }),
    pod('x/b', { ips: ['10.244.1.11', 'fd00:10:244:1::b'], labels: { pod: 'b' } }),
    policy('x/b-from-a-v6', {
      podSelector: { matchLabels: { pod: 'b' } },
      ingress: [{ from: [{ ipBlock: { cidr: 'fd00:10:244:1::a/128' } }] }],
    }),
  ];
  const c = engine(objects, dualStackClusterConfig());
  const v6 = traceIn(c, 'x/a', 'x/b:80', { family: 'IPv6', config: dualStackClusterConfig() });
  assert.equal(v6.verdict, 'delivered');
  assert.equal(ingress(v6).endpoint.ip, 'fd00:10:244:1::b');
  assert.deepEqual(v6.endpoint, { pod: 'x/b', ip: 'fd00:10:244:1::b', port: 80 });
  // Over IPv4 the same pods do not match the IPv6 block.
  assert.equal(trace(c, 'x/a', 'x/b', 80).verdict, 'denied');
});
