import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ClusterConfig } from '../../src/api/cluster-config.js';
import { defaultClusterConfig, dualStackClusterConfig } from '../../src/api/cluster-config.js';
import { parseClusterConfig, readClusterConfig } from '../../src/api/cluster-config-file.js';
import { formatDiagnostic, PodnetError } from '../../src/api/errors.js';
import { formatCIDR, formatIP } from '../../src/ip/index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/config/', import.meta.url));

/** The config in plain words, for comparing whole configs. */
function summary(c: ClusterConfig) {
  return {
    name: c.name,
    clusterDomain: c.clusterDomain,
    podSubnets: c.podSubnets.map(formatCIDR),
    serviceSubnets: c.serviceSubnets.map(formatCIDR),
    nodeMaskSize: c.nodeMaskSize,
    nodePortRange: `${c.nodePortRange.min}-${c.nodePortRange.max}`,
    nodeSubnets: c.nodeSubnets.map(formatCIDR),
    loadBalancerPool: c.loadBalancerPool.map((r) => `${formatIP(r.first)}-${formatIP(r.last)}`),
    nodes: c.nodes.map((n) => `${n.name}:${n.role}${n.labels ? `:${JSON.stringify(n.labels)}` : ''}`),
    ipFamilies: c.ipFamilies,
  };
}

/** The diagnostics of an invalid config, as the CLI prints them. */
function problems(text: string): string[] {
  try {
    parseClusterConfig(text, 'c.yaml');
  } catch (e) {
    assert.ok(e instanceof PodnetError);
    assert.equal(e.code, 'InvalidInput');
    return e.diagnostics.map(formatDiagnostic);
  }
  assert.fail('expected an invalid config');
}

const PODNET = 'apiVersion: podnet.dev/v1alpha1\nkind: Cluster\n';
const KIND = 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n';

test("kind config: a user's kind cluster config just works (dual-stack, kind-only fields ignored, kind's node names)", () => {
  assert.deepEqual(summary(readClusterConfig(join(FIXTURES, 'kind-dual.yaml'))), {
    name: 'app-1',
    clusterDomain: 'cluster.local',
    podSubnets: ['10.244.0.0/16', 'fd00:10:244::/56'],
    serviceSubnets: ['10.96.0.0/16', 'fd00:10:96::/112'],
    nodeMaskSize: { IPv4: 24, IPv6: 64 },
    nodePortRange: '30000-32767',
    nodeSubnets: ['172.18.0.0/16', 'fc00:f853:ccd:e793::/64'],
    loadBalancerPool: ['172.18.255.200-172.18.255.250'],
    nodes: [
      'app-1-control-plane:control-plane',
      'app-1-worker:worker:{"topology.kubernetes.io/zone":"zone-a"}',
      'app-1-worker2:worker',
      'app-1-control-plane2:control-plane',
    ],
    ipFamilies: ['IPv4', 'IPv6'],
  });
});

test('kind config: defaults as kind sets them (cluster "kind", one control-plane node, IPv4 subnets)', () => {
  assert.deepEqual(summary(readClusterConfig(join(FIXTURES, 'kind-minimal.yaml'))), {
    ...summary(defaultClusterConfig('kind')),
    nodes: ['kind-control-plane:control-plane'],
  });
});

test("kind config: ipFamily ipv6 defaults to kind's IPv6 subnets", () => {
  const c = parseClusterConfig(`${KIND}networking:\n  ipFamily: ipv6\n`, 'c.yaml');
  assert.deepEqual(summary(c).podSubnets, ['fd00:10:244::/56']);
  assert.deepEqual(summary(c).serviceSubnets, ['fd00:10:96::/112']);
  assert.deepEqual(c.ipFamilies, ['IPv6']);
  assert.deepEqual(summary(c).nodeSubnets, ['fc00:f853:ccd:e793::/64']);
  assert.equal(c.loadBalancerPool[0].first.family, 'IPv6');
});

test('podnet config: every networking setting is read', () => {
  assert.deepEqual(summary(readClusterConfig(join(FIXTURES, 'podnet.yaml'))), {
    name: 'shop',
    clusterDomain: 'shop.internal',
    podSubnets: ['10.100.0.0/16'],
    serviceSubnets: ['10.200.0.0/20'],
    nodeMaskSize: { IPv4: 26, IPv6: 64 },
    nodePortRange: '31000-31999',
    nodeSubnets: ['192.168.50.0/24'],
    loadBalancerPool: ['192.168.50.200-192.168.50.210', '192.168.60.0-192.168.60.15'],
    nodes: [
      'shop-control-plane:control-plane',
      'shop-worker:worker:{"tier":"web"}',
      'shop-worker2:worker:{"tier":"data"}',
    ],
    ipFamilies: ['IPv4'],
  });
});

test("podnet config: nodeSubnet takes one CIDR per family for dual-stack, ordered primary first (kind's subnet list form)", () => {
  const c = parseClusterConfig(
    `${PODNET}networking:\n  ipFamily: dual\n  nodeSubnet: fc00:1::/64,192.168.50.0/24\n`,
    'c.yaml',
  );
  assert.deepEqual(summary(c).nodeSubnets, ['192.168.50.0/24', 'fc00:1::/64']);
});

test('config: the dual-stack defaults are dualStackClusterConfig()', () => {
  assert.deepEqual(
    summary(parseClusterConfig(`${PODNET}networking:\n  ipFamily: dual\n`, 'c.yaml')),
    summary(dualStackClusterConfig()),
  );
});

test("podnet config: without nodes, podnet's default nodes (a control plane and two workers)", () => {
  assert.deepEqual(
    summary(parseClusterConfig(`${PODNET}name: lab\n`, 'c.yaml')),
    summary(defaultClusterConfig('lab')),
  );
});

test('invalid config: every problem is reported with its file, line and field path, in file order', () => {
  let diagnostics: string[] = [];
  try {
    readClusterConfig(join(FIXTURES, 'invalid.yaml'));
  } catch (e) {
    assert.ok(e instanceof PodnetError);
    diagnostics = e.diagnostics.map((d) => formatDiagnostic({ ...d, file: 'invalid.yaml' }));
  }
  assert.deepEqual(diagnostics, [
    'invalid.yaml:3: name: Invalid value: "Shop_1": must match ^[a-z0-9.-]+$',
    'invalid.yaml:7: networking.serviceSubnet: Invalid value: "10.96.0.0/16": overlaps the pod subnet 10.96.0.0/12',
    'invalid.yaml:8: networking.nodePortRange: Invalid value: "40000-30000": must be a port range "min-max" within 1-65535, with min <= max',
    "invalid.yaml:10: networking.nodeCIDRMaskSize.ipv4: Invalid value: 8: must be between the pod subnet's prefix length (12) and 32, inclusive",
    'invalid.yaml:12: networking.loadBalancerPool[0]: Invalid value: "10.96.1.0/24": overlaps 10.96.0.0/12',
    'invalid.yaml:12: networking.loadBalancerPool[0]: Invalid value: "10.96.1.0/24": overlaps 10.96.0.0/16',
    'invalid.yaml:13: networking.loadBalancerPool[1]: Invalid value: "nope": must be an address range (first-last) or a CIDR',
    'invalid.yaml:14: unknown field "networking.podCIDR"',
    'invalid.yaml:15: nodes: Required value: must have at least one control-plane node',
    'invalid.yaml:17: nodes[1].role: Unsupported value: "master": supported values: "control-plane", "worker"',
    'invalid.yaml:18: unknown field "extraMounts"',
  ]);
});

// One problem per row: the config text (after apiVersion and kind) and the message it must produce.
const INVALID: [string, string, string][] = [
  [
    'kind: podnet fields are not part of kind',
    `${KIND}networking:\n  clusterDomain: x.local\n`,
    'c.yaml:4: unknown field "networking.clusterDomain"',
  ],
  [
    'apiVersion',
    'apiVersion: kind.x-k8s.io/v1alpha3\nkind: Cluster\n',
    'c.yaml:1: apiVersion: Unsupported value: "kind.x-k8s.io/v1alpha3": supported values: "podnet.dev/v1alpha1", "kind.x-k8s.io/v1alpha4"',
  ],
  [
    'node names made from the cluster name',
    `${PODNET}name: -lab\n`,
    'c.yaml:3: name: Invalid value: "-lab": gives node name -lab-control-plane: ',
  ],
  [
    'kind',
    'apiVersion: podnet.dev/v1alpha1\nkind: Config\n',
    'c.yaml:2: kind: Unsupported value: "Config": supported values: "Cluster"',
  ],
  [
    'ipFamily',
    `${PODNET}networking:\n  ipFamily: both\n`,
    'c.yaml:4: networking.ipFamily: Unsupported value: "both": supported values: "ipv4", "ipv6", "dual"',
  ],
  [
    'not a CIDR',
    `${PODNET}networking:\n  podSubnet: 10.244.0.0\n`,
    'c.yaml:4: networking.podSubnet: Invalid value: "10.244.0.0": "10.244.0.0" is not a CIDR',
  ],
  [
    'family mismatch',
    `${PODNET}networking:\n  podSubnet: fd00::/56\n`,
    'c.yaml:4: networking.podSubnet: Invalid value: "fd00::/56": expected an IPv4 CIDR for ipFamily ipv4',
  ],
  [
    'single-stack with two CIDRs',
    `${PODNET}networking:\n  serviceSubnet: 10.96.0.0/16,fd00::/112\n`,
    'c.yaml:4: networking.serviceSubnet: Invalid value: "10.96.0.0/16,fd00::/112": only one CIDR allowed for single-stack networking',
  ],
  [
    'dual-stack needs both families',
    `${PODNET}networking:\n  ipFamily: dual\n  podSubnet: 10.1.0.0/16,10.2.0.0/16\n`,
    'c.yaml:5: networking.podSubnet: Invalid value: "10.1.0.0/16,10.2.0.0/16": dual-stack needs two CIDRs, one IPv4 and one IPv6',
  ],
  [
    'kube-apiserver: service range too large',
    `${PODNET}networking:\n  serviceSubnet: 10.0.0.0/8\n`,
    'c.yaml:4: networking.serviceSubnet: Invalid value: "10.0.0.0/8": too large; for 32-bit addresses, the mask must be >= 12',
  ],
  [
    'service range too small for kube-dns',
    `${PODNET}networking:\n  serviceSubnet: 10.96.0.0/29\n`,
    'c.yaml:4: networking.serviceSubnet: Invalid value: "10.96.0.0/29": too small; it must hold at least 16 addresses (kube-dns is the 10th)',
  ],
  [
    'kube-controller-manager: IPv6 node mask at most 16 bits longer',
    `${PODNET}networking:\n  ipFamily: ipv6\n  podSubnet: fd00:10::/32\n`,
    "c.yaml:3: networking.nodeCIDRMaskSize.ipv6: Invalid value: 64: must be at most 16 more than the pod subnet's prefix length (32)",
  ],
  [
    'cluster domain',
    `${PODNET}networking:\n  clusterDomain: Cluster.Local.\n`,
    'c.yaml:4: networking.clusterDomain: Invalid value: "Cluster.Local.": ',
  ],
  [
    'node subnet overlaps pods',
    `${PODNET}networking:\n  nodeSubnet: 10.244.5.0/24\n`,
    'c.yaml:4: networking.nodeSubnet: Invalid value: "10.244.5.0/24": overlaps 10.244.0.0/16',
  ],
  [
    'node subnet too small',
    `${PODNET}networking:\n  nodeSubnet: 192.168.0.0/30\n`,
    'c.yaml:4: networking.nodeSubnet: Invalid value: "192.168.0.0/30": too small for 3 nodes (node addresses start at the second host)',
  ],
  [
    'dual-stack node subnet needs both families',
    `${PODNET}networking:\n  ipFamily: dual\n  nodeSubnet: 192.168.50.0/24\n`,
    'c.yaml:5: networking.nodeSubnet: Invalid value: "192.168.50.0/24": dual-stack needs two CIDRs, one IPv4 and one IPv6',
  ],
  [
    'node subnet family',
    `${PODNET}networking:\n  nodeSubnet: fc00:1::/64\n`,
    'c.yaml:4: networking.nodeSubnet: Invalid value: "fc00:1::/64": expected an IPv4 CIDR for ipFamily ipv4',
  ],
  [
    'pool family',
    `${PODNET}networking:\n  loadBalancerPool: ["fd00::1-fd00::9"]\n`,
    'c.yaml:4: networking.loadBalancerPool[0]: Invalid value: "fd00::1-fd00::9": is IPv6, but the cluster is IPv4',
  ],
  [
    'port range out of bounds',
    `${PODNET}networking:\n  nodePortRange: 0-70000\n`,
    'c.yaml:4: networking.nodePortRange: Invalid value: "0-70000": must be a port range "min-max" within 1-65535, with min <= max',
  ],
  [
    'wrong type',
    `${PODNET}networking:\n  nodeCIDRMaskSize: {ipv4: "24"}\n`,
    'c.yaml:4: networking.nodeCIDRMaskSize.ipv4: Invalid value: "24": must be an integer',
  ],
  [
    'label key',
    `${PODNET}nodes:\n- role: worker\n  labels: {"bad key": x}\n- {}\n`,
    'c.yaml:5: nodes[0].labels[bad key]: Invalid value: "bad key": ',
  ],
  ['YAML syntax', `${PODNET}networking: [\n`, 'c.yaml:4: error parsing YAML: '],
  ['several documents', `${PODNET}---\n${PODNET}`, 'c.yaml:4: expected one Cluster document, found 2'],
];

for (const [name, text, want] of INVALID) {
  test(`invalid config: ${name}`, () => {
    const got = problems(text);
    assert.ok(
      got.some((m) => m.startsWith(want)),
      `wanted ${JSON.stringify(want)}\ngot ${JSON.stringify(got, null, 2)}`,
    );
  });
}

test('a missing config file is an error naming it', () => {
  assert.throws(
    () => readClusterConfig('no/such/cluster.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof PodnetError);
      assert.equal(e.message, 'the path "no/such/cluster.yaml" does not exist');
      return true;
    },
  );
});

test('node port range also accepts kube-apiserver\'s "base+size" form', () => {
  const c = parseClusterConfig(`${PODNET}networking:\n  nodePortRange: 30000+99\n`, 'c.yaml');
  assert.deepEqual(c.nodePortRange, { min: 30000, max: 30099 });
});
