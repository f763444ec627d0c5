// The network-policy-api conformance scenarios for ClusterNetworkPolicy peers and ports:
// networks (inline CIDRs), nodes, port ranges (conformance/tests admin-network-policy-standard-*
// and -experimental-*.go, base/admin_tier), checked through evaluate().

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterNetworkPolicyEgressRule } from '../../src/api/types.js';
import {
  C0,
  C1,
  cnp,
  D0,
  EACH_PROTOCOL,
  failedProbes,
  H0,
  H1,
  house,
  houses,
  L0,
  L1,
  named,
  ns,
  type Probe,
  tcp,
} from './admin-fixtures.js';
import { pod } from './engine-fixtures.js';

/** base/admin_tier/standard-egress-inline-cidr-rules.yaml, optionally with the test's inserted rule. */
function inlineCIDR(allowIPs: string[] = []) {
  const egress: ClusterNetworkPolicyEgressRule[] = [
    {
      name: 'allow-egress-to-slytherin',
      action: 'Accept',
      to: [{ pods: { namespaceSelector: house('slytherin'), podSelector: house('slytherin') } }],
    },
    { name: 'deny-egress-to-internet', action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] },
  ];
  if (allowIPs.length > 0)
    egress.unshift({
      name: 'allow-egress-to-specific-podIPs',
      action: 'Accept',
      to: [{ networks: allowIPs.map((ip) => `${ip}/32`) }],
    });
  return cnp('inline-cidr-as-peers-example', {
    priority: 85,
    subject: { pods: { namespaceSelector: house('gryffindor'), podSelector: house('gryffindor') } },
    egress,
  });
}

test('CNPAdminTierEgressInlineCIDRPeers: 0.0.0.0/0 denies pod-to-pod traffic too; a higher rule accepts slytherin', () => {
  const c = houses([inlineCIDR()]);
  const probes: Probe[] = EACH_PROTOCOL.flatMap(([protocol, port]) => [
    [H1, L0, protocol, port, false],
    [H1, C0, protocol, port, false],
    [H1, D0, protocol, port, true],
  ]);
  assert.deepEqual(failedProbes(c, probes), []);
});

test('CNPAdminTierEgressInlineCIDRPeers: a networks rule with two pod IPs/32 inserted first accepts exactly those pods', () => {
  const base = houses();
  const ip = (ref: string) => base.pod(ref).status?.podIP as string;
  const c = houses([inlineCIDR([ip(L0), ip(C0)])]);
  const probes: Probe[] = EACH_PROTOCOL.flatMap(([protocol, port]) => [
    [H1, L0, protocol, port, true],
    [H1, C0, protocol, port, true],
    [H1, L1, protocol, port, false],
    [H1, C1, protocol, port, false],
  ]);
  assert.deepEqual(failedProbes(c, probes), []);
});

test('CNPAdminTierEgressNodePeers: Accept to nodes on a host port, Pass on another, Deny to slytherin, nodes and the internet', () => {
  const agent = `${ns('hufflepuff')}/node-agent`;
  const c = houses([
    pod(agent, { hostNetwork: true, node: 'podnet-worker2' }),
    cnp('node-and-cidr-as-peers-example', {
      priority: 75,
      subject: { pods: { namespaceSelector: house('gryffindor'), podSelector: house('gryffindor') } },
      egress: [
        {
          name: 'allow-egress-to-34567-on-nodes',
          action: 'Accept',
          to: [{ nodes: { matchLabels: { 'kubernetes.io/os': 'linux' } } }],
          protocols: [tcp(34567)],
        },
        {
          name: 'pass-egress-to-34568-on-nodes',
          action: 'Pass',
          to: [{ nodes: { matchLabels: { 'kubernetes.io/os': 'linux' } } }],
          protocols: [{ udp: { destinationPort: { number: 34568 } } }],
        },
        {
          name: 'deny-egress-to-slytherin-and-nodes-and-internet',
          action: 'Deny',
          to: [
            { pods: { namespaceSelector: house('slytherin'), podSelector: house('slytherin') } },
            { nodes: { matchLabels: { 'kubernetes.io/os': 'linux' } } },
            { networks: ['0.0.0.0/0', '::/0'] },
          ],
        },
      ],
    }),
  ]);
  assert.deepEqual(
    failedProbes(c, [
      [H0, agent, 'TCP', 34567, true],
      [H0, agent, 'UDP', 34568, true],
      [H0, agent, 'TCP', 80, false],
      [H0, D0, 'TCP', 80, false],
      [H1, '203.0.113.10', 'TCP', 443, false],
      [D0, agent, 'TCP', 80, true],
    ]),
    [],
  );
});

test('CNPAdminTierPortRange: tcp/udp/sctp ranges match their bounds inclusively and nothing outside', () => {
  const range = (start: number, end: number) => ({ destinationPort: { range: { start, end } } });
  const c = houses([
    cnp('port-range', {
      subject: { namespaces: named('gryffindor') },
      ingress: [
        {
          action: 'Deny',
          from: [{ namespaces: named('slytherin') }],
          protocols: [{ tcp: range(80, 8079) }, { udp: range(53, 5352) }, { sctp: range(9003, 9004) }],
        },
      ],
    }),
  ]);
  assert.deepEqual(
    failedProbes(c, [
      [D0, H0, 'TCP', 80, false],
      [D0, H0, 'TCP', 8080, true],
      [D0, H0, 'UDP', 53, false],
      [D0, H0, 'UDP', 5353, true],
      [D0, H0, 'SCTP', 9003, false],
      [D0, H0, 'SCTP', 9005, true],
    ]),
    [],
  );
});
