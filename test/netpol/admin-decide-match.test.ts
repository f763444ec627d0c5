// decide(), matching: which peers hold an endpoint (namespaces, pods, nodes, networks,
// domainNames), which ports a connection matches (numbers, ranges, protocols, named ports), what a
// match reports, and the predicates the pod classes are built from.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { Node } from '../../src/api/types.js';
import { compileAdminTiers } from '../../src/netpol/admin-compile.js';
import { ClusterFacts } from '../../src/netpol/facts.js';
import {
  anp,
  banp,
  cnp,
  D0,
  decide,
  H0,
  house,
  houses,
  L0,
  member,
  named,
  ns,
  summary,
} from './admin-fixtures.js';
import { engine, namespace, pod } from './engine-fixtures.js';

const fromSlytherin = { from: [{ namespaces: house('slytherin') }] };
const gryffindor = { subject: { namespaces: house('gryffindor') } };

test('Peers: `namespaces` and `pods` match pod-network pods only, never hostNetwork pods (ClusterNetworkPolicyEgressPeer)', () => {
  const agent = `${ns('slytherin')}/agent`;
  const c = houses([
    pod(agent, { labels: { 'conformance-house': 'slytherin' }, hostNetwork: true, node: 'podnet-worker2' }),
    cnp('peers', {
      ...gryffindor,
      egress: [
        { action: 'Accept', to: [{ pods: { namespaceSelector: house('slytherin'), podSelector: {} } }] },
        { action: 'Deny', to: [{ namespaces: house('hufflepuff') }] },
      ],
    }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, D0)), [
    'Accept ClusterNetworkPolicy/peers egress[0]',
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, member('hufflepuff', 1))), [
    'Deny ClusterNetworkPolicy/peers egress[1]',
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, agent)), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, L0)), []);
});

test("Peers: `nodes` match the addresses in a selected node's status.addresses, ExternalIPs and hostNetwork pods on it included (nodes peer)", () => {
  const node = (name: string, labels: Record<string, string>, internal: string, external: string): Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: {
      addresses: [
        { type: 'InternalIP', address: internal },
        { type: 'ExternalIP', address: external },
      ],
    },
  });
  const c = engine([
    node('worker', { role: 'worker' }, '172.18.0.2', '198.51.100.2'),
    node('edge', { role: 'edge' }, '172.18.0.3', '198.51.100.3'),
    namespace('a'),
    pod('a/client', { ips: ['10.244.1.5'], node: 'worker' }),
    pod('a/server', { ips: ['10.244.2.5'], node: 'edge' }),
    pod('a/agent', { hostNetwork: true, node: 'edge' }),
    cnp('nodes', {
      egress: [
        { action: 'Accept', to: [{ nodes: { matchLabels: { role: 'edge' } } }] },
        { action: 'Deny', to: [{ nodes: {} }] },
      ],
    }),
  ]);
  const egress = (to: string) => summary(c.model.admin.decide('Admin', 'Egress', c.conn('a/client', to, 80)));
  assert.deepEqual(egress('node/edge'), ['Accept ClusterNetworkPolicy/nodes egress[0]']);
  assert.deepEqual(egress('a/agent'), ['Accept ClusterNetworkPolicy/nodes egress[0]']);
  assert.deepEqual(egress('198.51.100.3'), ['Accept ClusterNetworkPolicy/nodes egress[0]']);
  assert.deepEqual(egress('node/worker'), ['Deny ClusterNetworkPolicy/nodes egress[1]']);
  assert.deepEqual(egress('198.51.100.2'), ['Deny ClusterNetworkPolicy/nodes egress[1]']);
  // A pod on a selected node is not the node.
  assert.deepEqual(egress('a/server'), []);
});

test('Peers: `networks` match any address in the CIDRs, pod and node addresses included (networks peer)', () => {
  const c = houses([
    cnp('networks', {
      ...gryffindor,
      egress: [
        { action: 'Accept', to: [{ networks: ['10.244.2.11/32', '192.0.2.0/24'] }] },
        { action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] },
      ],
    }),
  ]);
  const d = decide(c, 'Admin', 'Egress', H0, member('slytherin', 1));
  assert.deepEqual(summary(d), ['Accept ClusterNetworkPolicy/networks egress[0]']);
  assert.equal(d.decision?.peer, 0);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, '192.0.2.200')), [
    'Accept ClusterNetworkPolicy/networks egress[0]',
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, D0)), [
    'Deny ClusterNetworkPolicy/networks egress[1]',
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, 'node/podnet-control-plane')), [
    'Deny ClusterNetworkPolicy/networks egress[1]',
  ]);
});

test('Peers: `networks` in IPv6 match IPv6 addresses only (CIDR is IPv4 or IPv6)', () => {
  const c = engine(
    [
      namespace('a'),
      pod('a/client', { ips: ['10.244.1.5', 'fd00:10:244:1::5'] }),
      pod('a/server', { ips: ['10.244.2.5', 'fd00:10:244:2::5'], node: 'podnet-worker2' }),
      cnp('v6', {
        egress: [
          { action: 'Deny', to: [{ networks: ['fd00:10:244:2::/64'] }] },
          { action: 'Accept', to: [{ networks: ['2001:db8::/32'] }] },
        ],
      }),
    ],
    dualStackClusterConfig(),
  );
  const v6 = c.model.admin.decide('Admin', 'Egress', c.conn('a/client', 'a/server', 80, 'TCP', 'IPv6'));
  assert.deepEqual(summary(v6), ['Deny ClusterNetworkPolicy/v6 egress[0]']);
  const v4 = c.model.admin.decide('Admin', 'Egress', c.conn('a/client', 'a/server', 80, 'TCP', 'IPv4'));
  assert.deepEqual(summary(v4), []);
  const outside = c.model.admin.decide(
    'Admin',
    'Egress',
    c.conn('a/client', '2001:db8::1', 443, 'TCP', 'IPv6'),
  );
  assert.deepEqual(summary(outside), ['Accept ClusterNetworkPolicy/v6 egress[1]']);
});

test('Peers: `domainNames` match no connection in analysis (their addresses are known only to the data plane)', () => {
  const c = houses([
    cnp('fqdn', {
      ...gryffindor,
      egress: [{ action: 'Accept', to: [{ domainNames: ['*.kubernetes.io'] }] }],
    }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, '151.101.1.1', 443)), []);
});

test('Protocols: tcp/udp/sctp destination ports and inclusive ranges match port and protocol together (ClusterNetworkPolicyProtocol)', () => {
  const c = houses([
    cnp('ports', {
      ...gryffindor,
      ingress: [
        {
          action: 'Deny',
          ...fromSlytherin,
          protocols: [
            { tcp: { destinationPort: { number: 80 } } },
            { udp: { destinationPort: { range: { start: 50, end: 60 } } } },
            { sctp: { destinationPort: { number: 9003 } } },
          ],
        },
      ],
    }),
  ]);
  const cases: [port: number, protocol: 'TCP' | 'UDP' | 'SCTP', portIndex: number | undefined][] = [
    [80, 'TCP', 0],
    [8080, 'TCP', undefined],
    [80, 'UDP', undefined],
    [50, 'UDP', 1],
    [53, 'UDP', 1],
    [60, 'UDP', 1],
    [61, 'UDP', undefined],
    [5353, 'UDP', undefined],
    [9003, 'SCTP', 2],
    [9005, 'SCTP', undefined],
  ];
  for (const [port, protocol, portIndex] of cases) {
    const d = decide(c, 'Admin', 'Ingress', D0, H0, port, protocol);
    assert.equal(d.decision?.port, portIndex, `${port}/${protocol}`);
  }
});

test("Protocols: a named port resolves against the destination pod's container ports with the connection's protocol, and never matches a node (destinationNamedPort)", () => {
  const c = houses([
    cnp('named', {
      ...gryffindor,
      egress: [
        { action: 'Deny', to: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'udp-53' }] },
        { action: 'Accept', to: [{ nodes: {} }] },
      ],
    }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, D0, 53, 'UDP')), [
    'Deny ClusterNetworkPolicy/named egress[0]',
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, D0, 53, 'TCP')), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, D0, 5353, 'UDP')), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, 'node/podnet-worker2', 53, 'UDP')), [
    'Accept ClusterNetworkPolicy/named egress[1]',
  ]);
});

test('Ports (v1alpha1): portNumber, portRange and namedPort, protocols defaulted to TCP (AdminNetworkPolicyPort)', () => {
  const c = houses([
    anp('ports', {
      ...gryffindor,
      ingress: [
        {
          action: 'Deny',
          ...fromSlytherin,
          ports: [
            { portNumber: { port: 80 } },
            { portRange: { start: 9000, end: 9004, protocol: 'SCTP' } },
            { namedPort: 'udp-5353' },
          ],
        },
      ],
    }),
  ]);
  const cases: [number, 'TCP' | 'UDP' | 'SCTP', number | undefined][] = [
    [80, 'TCP', 0],
    [80, 'UDP', undefined],
    [9003, 'SCTP', 1],
    [9005, 'SCTP', undefined],
    [5353, 'UDP', 2],
  ];
  for (const [port, protocol, portIndex] of cases)
    assert.equal(
      decide(c, 'Admin', 'Ingress', D0, H0, port, protocol).decision?.port,
      portIndex,
      `${port}/${protocol}`,
    );
});

test('RuleMatch: the rule name, the peer and port entries that matched, and the priority', () => {
  const c = houses([
    cnp('explained', {
      ...gryffindor,
      priority: 42,
      ingress: [
        {
          name: 'deny-from-slytherin-80',
          action: 'Deny',
          from: [{ namespaces: house('ravenclaw') }, { namespaces: named('slytherin') }],
          protocols: [
            { udp: { destinationPort: { number: 53 } } },
            { tcp: { destinationPort: { number: 80 } } },
          ],
        },
      ],
    }),
  ]);
  assert.deepEqual(decide(c, 'Admin', 'Ingress', D0, H0), {
    decision: {
      policy: { kind: 'ClusterNetworkPolicy', name: 'explained' },
      direction: 'Ingress',
      rule: 0,
      ruleName: 'deny-from-slytherin-80',
      action: 'Deny',
      peer: 1,
      port: 1,
      priority: 42,
    },
    passed: [],
  });
});

test('Predicates: every subject and peer, networks, port names and node selectors, deduplicated (what the pod classes rely on)', () => {
  const c = houses([
    cnp('a', {
      subject: { pods: { namespaceSelector: house('gryffindor'), podSelector: {} } },
      egress: [
        {
          action: 'Deny',
          to: [{ namespaces: house('slytherin') }, { networks: ['10.0.0.0/8'] }, { nodes: {} }],
        },
        {
          action: 'Deny',
          to: [{ namespaces: house('slytherin') }],
          protocols: [{ destinationNamedPort: 'web' }],
        },
      ],
    }),
    banp({
      subject: { namespaces: house('gryffindor') },
      ingress: [{ action: 'Allow', from: [{ namespaces: house('slytherin') }] }],
    }),
  ]);
  const tiers = compileAdminTiers(c.store, new ClusterFacts(c.store));
  assert.equal(tiers.predicates.pods.length, 2, JSON.stringify(tiers.predicates.pods));
  assert.deepEqual(
    tiers.predicates.pods.map((p) =>
      'selector' in p.namespaces ? p.namespaces.selector.requirements[0].values : [],
    ),
    [['gryffindor'], ['slytherin']],
  );
  assert.ok(tiers.predicates.pods.every((p) => p.pods === undefined));
  assert.deepEqual(tiers.predicates.cidrs.length, 1);
  assert.deepEqual(tiers.predicates.portNames, ['web']);
  assert.deepEqual(tiers.predicates.nodes, [{ requirements: [] }]);
});
