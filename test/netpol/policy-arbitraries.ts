// Random small clusters for the class and matrix properties (reach-property.test.ts): namespaces
// x, y, z; up to nine pods on one or two nodes, some hostNetwork, with named ports; random
// NetworkPolicies and admin-tier policies. The generators lean towards what tells pods apart
// (few label sets, rules with peers and ports, subjects that cover pods).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultClusterConfig, dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type {
  Container,
  ContainerPort,
  KubeObject,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from '../../src/api/types.js';
import { buildCluster } from '../../src/cluster/build.js';
import type { PortProtocol } from '../../src/netpol/types.js';
import type { Store } from '../../src/store/store.js';

const NAMESPACES = ['x', 'y', 'z'];
const WORKERS = ['podnet-worker', 'podnet-worker2'];
export const PORTS: PortProtocol[] = [
  { port: 80, protocol: 'TCP' },
  { port: 81, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
  { port: 81, protocol: 'UDP' },
  { port: 80, protocol: 'SCTP' },
];

const value = fc.constantFrom('a', 'b');
const podKey = fc.constantFrom('app', 'tier');
const nsKey = fc.constantFrom('team', 'env');

function selector(key: fc.Arbitrary<string>, extra: fc.Arbitrary<Record<string, string>>[] = []) {
  const requirement = fc.oneof(
    fc.record({
      key,
      operator: fc.constantFrom('In' as const, 'NotIn' as const),
      values: fc.uniqueArray(value, { minLength: 1, maxLength: 2 }),
    }),
    fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
  );
  return fc.record(
    {
      matchLabels: fc.oneof(fc.dictionary(key, value, { maxKeys: 1 }), ...extra),
      matchExpressions: fc.array(requirement, { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<LabelSelector>;
}

const podSelector = selector(podKey);
// Namespaces also carry kubernetes.io/metadata.name, which policies often select on.
const namespaceSelector = selector(nsKey, [
  fc.constantFrom(...NAMESPACES).map((n) => ({ 'kubernetes.io/metadata.name': n })),
]);

// Blocks over the pod and node networks of both families, with except entries inside them:
// node worker's pods are 10.244.1.0/24, worker2's 10.244.2.0/24; the workers are 172.18.0.3 / .4.
const IPV4_BLOCKS: [string, string[]][] = [
  ['0.0.0.0/0', ['10.244.0.0/16', '172.18.0.3/32']],
  ['10.244.0.0/16', ['10.244.1.0/24', '10.244.2.0/25']],
  ['10.244.1.0/24', ['10.244.1.0/30']],
  ['172.18.0.0/16', ['172.18.0.4/32']],
];
const IPV6_BLOCKS: [string, string[]][] = [
  ['::/0', ['fd00:10:244::/56']],
  ['fd00:10:244::/56', ['fd00:10:244:1::/64']],
  ['fc00:f853:ccd:e793::/64', ['fc00:f853:ccd:e793::3/128']],
];

function ipBlock(blocks: [string, string[]][]): fc.Arbitrary<NetworkPolicyPeer> {
  return fc
    .constantFrom(...blocks)
    .chain(([cidr, excepts]) =>
      fc.subarray(excepts).map((except) => ({ ipBlock: except.length > 0 ? { cidr, except } : { cidr } })),
    );
}

function peer(dualStack: boolean): fc.Arbitrary<NetworkPolicyPeer> {
  return fc.oneof(
    fc.record({ podSelector }),
    fc.record({ namespaceSelector }),
    fc.record({ podSelector, namespaceSelector }),
    { weight: 2, arbitrary: ipBlock(dualStack ? [...IPV4_BLOCKS, ...IPV6_BLOCKS] : IPV4_BLOCKS) },
  );
}

const protocol = fc.option(fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const), {
  nil: undefined,
});
const port: fc.Arbitrary<NetworkPolicyPort> = fc
  .tuple(
    protocol,
    fc.oneof(
      fc.constant({}),
      fc.record({ port: fc.constantFrom(80, 81, 53) }),
      fc.record({ port: fc.constant(80), endPort: fc.constantFrom(80, 81) }),
      { weight: 3, arbitrary: fc.record({ port: fc.constantFrom('http', 'dns') }) },
    ),
  )
  .map(([p, rest]) => (p ? { protocol: p, ...rest } : rest));

/**
 * Rules mostly with peers and often with ports: a rule without either allows everything, which
 * would hide what the other rules tell apart.
 */
function rules(dualStack: boolean, peers: 'from' | 'to') {
  const rule = fc
    .tuple(
      fc.oneof(fc.constant(undefined), {
        weight: 5,
        arbitrary: fc.array(peer(dualStack), { minLength: 1, maxLength: 2 }),
      }),
      fc.oneof(fc.constant(undefined), {
        weight: 2,
        arbitrary: fc.array(port, { minLength: 1, maxLength: 2 }),
      }),
    )
    .map(([list, ports]) => ({ ...(list ? { [peers]: list } : {}), ...(ports ? { ports } : {}) }));
  return fc.array(rule, { maxLength: 2 });
}

export function policy(dualStack: boolean) {
  return fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    spec: fc.record(
      {
        podSelector,
        policyTypes: fc.subarray(['Ingress' as const, 'Egress' as const], { minLength: 1 }),
        ingress: rules(dualStack, 'from'),
        egress: rules(dualStack, 'to'),
      },
      { requiredKeys: ['podSelector'] },
    ),
  });
}

// The cluster-scoped tiers: ClusterNetworkPolicy (Admin or Baseline tier), AdminNetworkPolicy and
// the BaselineAdminNetworkPolicy, with pod, namespace, node and network peers and every port form.
const nodeSelector = fc.oneof(
  fc.constantFrom(...WORKERS).map((n) => ({ matchLabels: { 'kubernetes.io/hostname': n } })),
  fc
    .constantFrom('podnet-zone-b', 'podnet-zone-c')
    .map((z) => ({ matchLabels: { 'topology.kubernetes.io/zone': z } })),
  fc.constant({}),
);
const namespacedPod = fc.record({ namespaceSelector, podSelector });
// Subjects often cover every namespace, so that the rules below them get to decide something.
const adminSubject = fc.oneof(
  fc.constant({ namespaces: {} }),
  fc.record({ namespaces: namespaceSelector }),
  fc.record({ pods: namespacedPod }),
);
const adminPodPeer = fc.oneof(
  fc.record({ namespaces: namespaceSelector }),
  fc.record({ pods: namespacedPod }),
);
const networks = (dualStack: boolean) =>
  fc.uniqueArray(
    fc.constantFrom(
      ...(dualStack ? [...IPV4_BLOCKS, ...IPV6_BLOCKS] : IPV4_BLOCKS).flatMap(([c, e]) => [c, ...e]),
    ),
    { minLength: 1, maxLength: 2 },
  );
/** Egress peers: nodes and networks only where the rule has no named port (validation). */
const adminEgressPeer = (dualStack: boolean, named: boolean) =>
  named
    ? adminPodPeer
    : fc.oneof(
        adminPodPeer,
        { weight: 2, arbitrary: fc.record({ nodes: nodeSelector }) },
        fc.record({ networks: networks(dualStack) }),
      );

const cnpProtocol = fc.oneof(
  fc.record({
    tcp: fc.record({
      destinationPort: fc.oneof(
        fc.record({ number: fc.constantFrom(80, 81) }),
        fc.constant({ range: { start: 80, end: 81 } }),
      ),
    }),
  }),
  fc.record({ udp: fc.record({ destinationPort: fc.record({ number: fc.constantFrom(53, 81) }) }) }),
  fc.constant({ sctp: { destinationPort: { number: 80 } } }),
  fc.record({ destinationNamedPort: fc.constantFrom('http', 'dns') }),
);
const anpPort = fc.oneof(
  fc.record({
    portNumber: fc.record({
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const),
      port: fc.constantFrom(80, 81, 53),
    }),
  }),
  fc.record({
    portRange: fc.record({
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      start: fc.constant(80),
      end: fc.constantFrom(80, 81),
    }),
  }),
  fc.record({ namedPort: fc.constantFrom('http', 'dns') }),
);

function adminRules(
  dualStack: boolean,
  direction: 'from' | 'to',
  actions: readonly string[],
  port: fc.Arbitrary<object>,
  portsField: 'protocols' | 'ports',
  isNamed: (p: object) => boolean,
) {
  const rule = fc
    .record({
      action: fc.constantFrom(...actions),
      ports: fc.option(fc.array(port, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    })
    .chain(({ action, ports }) => {
      const named = (ports ?? []).some(isNamed);
      const peer = direction === 'from' ? adminPodPeer : adminEgressPeer(dualStack, named);
      return fc.array(peer, { minLength: 1, maxLength: 2 }).map((peers) => ({
        action,
        [direction]: peers,
        ...(ports ? { [portsField]: ports } : {}),
      }));
    });
  return fc.array(rule, { maxLength: 2 });
}

function adminPolicy(dualStack: boolean): fc.Arbitrary<KubeObject> {
  const cnpNamed = (p: object) => 'destinationNamedPort' in p;
  const anpNamed = (p: object) => 'namedPort' in p;
  const cnp = fc
    .record({
      tier: fc.constantFrom('Admin', 'Baseline'),
      priority: fc.integer({ min: 0, max: 3 }),
      subject: adminSubject,
      ingress: adminRules(dualStack, 'from', ['Accept', 'Deny', 'Pass'], cnpProtocol, 'protocols', cnpNamed),
      egress: adminRules(dualStack, 'to', ['Accept', 'Deny', 'Pass'], cnpProtocol, 'protocols', cnpNamed),
    })
    .map((spec) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', spec }));
  const anp = fc
    .record({
      priority: fc.integer({ min: 0, max: 3 }),
      subject: adminSubject,
      ingress: adminRules(dualStack, 'from', ['Allow', 'Deny', 'Pass'], anpPort, 'ports', anpNamed),
      egress: adminRules(dualStack, 'to', ['Allow', 'Deny', 'Pass'], anpPort, 'ports', anpNamed),
    })
    .map((spec) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', spec }));
  const banp = fc
    .record({
      subject: adminSubject,
      ingress: adminRules(dualStack, 'from', ['Allow', 'Deny'], anpPort, 'ports', anpNamed),
      egress: adminRules(dualStack, 'to', ['Allow', 'Deny'], anpPort, 'ports', anpNamed),
    })
    .map((spec) => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'BaselineAdminNetworkPolicy',
      spec,
    }));
  return fc.oneof(cnp, anp, banp).map((o) => ({ ...o, metadata: { name: 'default' } }) as KubeObject);
}

// Named ports: `http` and `dns`, each on one of a few ports and protocols (names are unique in a
// pod, and no two entries share a port and protocol), plus an unnamed port.
const containerPorts = fc
  .tuple(
    fc.constantFrom(undefined, [80, 'TCP'], [81, 'TCP'], [80, 'UDP']),
    fc.constantFrom(undefined, [53, 'UDP'], [53, 'TCP'], [81, 'UDP']),
    fc.boolean(),
  )
  .map(([http, dns, unnamed]) => {
    const ports: ContainerPort[] = [];
    for (const [name, p] of [
      ['http', http],
      ['dns', dns],
    ] as const)
      if (p) ports.push({ name, containerPort: p[0] as number, protocol: p[1] as Protocol });
    if (unnamed) ports.push({ containerPort: 82 });
    return ports;
  });

const pod = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  // Few distinct label sets, so that pods often share them and differ only in what else
  // policies can tell apart (node, address, named ports, hostNetwork).
  labels: fc.dictionary(podKey, value, { maxKeys: 1 }),
  hostNetwork: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  node: fc.nat(1),
  ports: containerPorts,
  // Half the pods belong to one of two ReplicaSets (which the snapshot does not hold): the diff
  // groups them by it.
  owner: fc.constantFrom(undefined, 'rs-a', 'rs-b'),
});

export const clusterCase = fc.boolean().chain((dualStack) =>
  fc.record({
    dualStack: fc.constant(dualStack),
    nodes: fc.constantFrom(1, 2, 2),
    namespaces: fc.tuple(...NAMESPACES.map(() => fc.dictionary(nsKey, value, { maxKeys: 2 }))),
    pods: fc.array(pod, { minLength: 1, maxLength: 9 }),
    policies: fc.array(policy(dualStack), { maxLength: 4 }),
    admin: fc.array(adminPolicy(dualStack), { maxLength: 2 }),
    // Which pods are sources and destinations: all, or a random part of them.
    fromMask: fc.integer({ min: 0, max: 2 ** 9 - 1 }),
    toMask: fc.integer({ min: 0, max: 2 ** 9 - 1 }),
  }),
);

export type Case = typeof clusterCase extends fc.Arbitrary<infer T> ? T : never;

function objects(c: Case): KubeObject[] {
  const out: KubeObject[] = NAMESPACES.map((name, i) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: c.namespaces[i] },
  }));
  c.pods.forEach((p, i) => {
    const container: Container = { name: 'c', image: 'agnhost', ports: p.ports };
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `p${i}`,
        namespace: p.namespace,
        labels: p.labels,
        ...(p.owner
          ? {
              ownerReferences: [
                { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: p.owner, uid: p.owner, controller: true },
              ],
            }
          : {}),
      },
      spec: { nodeName: WORKERS[p.node % c.nodes], hostNetwork: p.hostNetwork, containers: [container] },
    });
  });
  c.policies.forEach(({ namespace, spec }, i) => {
    const np: NetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `np${i}`, namespace },
      spec: spec as NetworkPolicy['spec'],
    };
    out.push(np);
  });
  // Names: the BaselineAdminNetworkPolicy must be `default`, and there is only one.
  let baseline = false;
  c.admin.forEach((o, i) => {
    if (o.kind !== 'BaselineAdminNetworkPolicy') out.push({ ...o, metadata: { name: `admin${i}` } });
    else if (!baseline) out.push(o);
    baseline ||= o.kind === 'BaselineAdminNetworkPolicy';
  });
  return out;
}

export function build(c: Case, edit: (objects: KubeObject[]) => KubeObject[] = (o) => o): Store {
  const config = c.dualStack ? dualStackClusterConfig() : defaultClusterConfig();
  const snap = buildCluster(
    edit(objects(c)).map((object) => ({ object, origin: { file: 'generated' } })),
    { config },
  );
  assert.ok(snap.ok, JSON.stringify(snap.diagnostics));
  return snap.store;
}
