import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig, dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { Node } from '../../src/api/types.js';
import { nodeController } from '../../src/controllers/cluster/nodes.js';
import { parseCIDR } from '../../src/ip/index.js';
import { cluster, errors, node, settle, warnings } from './core-fixtures.js';

const get = (ctx: ReturnType<typeof cluster>, name: string) => ctx.store.get('Node', undefined, name) as Node;
const cidr = (s: string) => parseCIDR(s) as NonNullable<ReturnType<typeof parseCIDR>>;
const addresses = (n: Node) => n.status?.addresses?.map((a) => `${a.type}=${a.address}`);

test('nodes: without Node objects, the config nodes exist: podnet-control-plane, podnet-worker, podnet-worker2 (kind)', () => {
  const ctx = cluster();
  settle(ctx, [nodeController]);
  assert.deepEqual(
    ctx.store.list('Node').map((n) => n.metadata.name),
    ['podnet-control-plane', 'podnet-worker', 'podnet-worker2'],
  );
  assert.deepEqual(errors(ctx), []);
});

test('nodes: labels as kind registers them; the control plane is labelled, excluded from load balancers and tainted NoSchedule', () => {
  const ctx = cluster();
  settle(ctx, [nodeController]);
  const cp = get(ctx, 'podnet-control-plane');
  assert.deepEqual(cp.metadata.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'podnet-control-plane',
    'kubernetes.io/os': 'linux',
    'node-role.kubernetes.io/control-plane': '',
    'node.kubernetes.io/exclude-from-external-load-balancers': '',
    'topology.kubernetes.io/zone': 'podnet-zone-a',
  });
  assert.deepEqual(cp.spec?.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  const worker = get(ctx, 'podnet-worker');
  assert.equal(worker.metadata.labels?.['node-role.kubernetes.io/control-plane'], undefined);
  assert.equal(worker.spec?.taints, undefined);
});

test('nodes: a cluster without workers leaves its control plane untainted, as kind does for a one-node cluster', () => {
  const config = defaultClusterConfig();
  config.nodes = [{ name: 'solo-control-plane', role: 'control-plane' }];
  const ctx = cluster([], config);
  settle(ctx, [nodeController]);
  const cp = get(ctx, 'solo-control-plane');
  assert.equal(cp.metadata.labels?.['node-role.kubernetes.io/control-plane'], '');
  assert.equal(cp.spec?.taints, undefined);
});

test('nodes: zones round-robin by node position: <cluster>-zone-a, -b, -c', () => {
  const config = defaultClusterConfig('lab');
  config.nodes = ['cp', 'w1', 'w2', 'w3'].map((name, i) => ({
    name,
    role: i === 0 ? 'control-plane' : 'worker',
  }));
  const ctx = cluster([], config);
  settle(ctx, [nodeController]);
  assert.deepEqual(
    ctx.store.list('Node').map((n) => n.metadata.labels?.['topology.kubernetes.io/zone']),
    ['lab-zone-a', 'lab-zone-b', 'lab-zone-c', 'lab-zone-a'],
  );
});

test('nodes: InternalIP from the node network from .2 in node order, plus Hostname (kind node addresses)', () => {
  const ctx = cluster();
  settle(ctx, [nodeController]);
  assert.deepEqual(ctx.store.list('Node').map(addresses), [
    ['InternalIP=172.18.0.2', 'Hostname=podnet-control-plane'],
    ['InternalIP=172.18.0.3', 'Hostname=podnet-worker'],
    ['InternalIP=172.18.0.4', 'Hostname=podnet-worker2'],
  ]);
});

test("nodes: dual-stack nodes get an InternalIP per family, IPv4 then IPv6, from .2 and ::2 of kind's docker network (kubelet --node-ip)", () => {
  const ctx = cluster([], dualStackClusterConfig());
  settle(ctx, [nodeController]);
  assert.deepEqual(ctx.store.list('Node').map(addresses), [
    ['InternalIP=172.18.0.2', 'InternalIP=fc00:f853:ccd:e793::2', 'Hostname=podnet-control-plane'],
    ['InternalIP=172.18.0.3', 'InternalIP=fc00:f853:ccd:e793::3', 'Hostname=podnet-worker'],
    ['InternalIP=172.18.0.4', 'InternalIP=fc00:f853:ccd:e793::4', 'Hostname=podnet-worker2'],
  ]);
});

test('nodes: an IPv6 single-stack cluster gives its nodes IPv6 InternalIPs only', () => {
  const config = defaultClusterConfig();
  config.podSubnets = [cidr('fd00:10:244::/56')];
  config.serviceSubnets = [cidr('fd00:10:96::/112')];
  config.nodeSubnets = [cidr('fc00:f853:ccd:e793::/64')];
  config.ipFamilies = ['IPv6'];
  const ctx = cluster([], config);
  settle(ctx, [nodeController]);
  assert.deepEqual(get(ctx, 'podnet-worker').status?.addresses, [
    { type: 'InternalIP', address: 'fc00:f853:ccd:e793::3' },
    { type: 'Hostname', address: 'podnet-worker' },
  ]);
});

test('nodes: on dual-stack, a given InternalIP is kept for its family and only the missing family is filled, in family order', () => {
  const v6Only = node('a', {
    status: { addresses: [{ type: 'InternalIP', address: 'fc00:f853:ccd:e793::2' }] },
  });
  const v4Only = node('b', { status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] } });
  const ctx = cluster([v6Only, v4Only], dualStackClusterConfig());
  settle(ctx, [nodeController]);
  assert.deepEqual(ctx.store.list('Node').map(addresses), [
    ['InternalIP=172.18.0.3', 'InternalIP=fc00:f853:ccd:e793::2', 'Hostname=a'],
    ['InternalIP=172.18.0.2', 'InternalIP=fc00:f853:ccd:e793::3', 'Hostname=b'],
  ]);
  assert.deepEqual(warnings(ctx), []);
});

test('nodes: podCIDRs are one /24 per node from 10.244.0.0/16, in node order (node IPAM range allocator)', () => {
  const ctx = cluster();
  settle(ctx, [nodeController]);
  assert.deepEqual(
    ctx.store.list('Node').map((n) => [n.spec?.podCIDR, n.spec?.podCIDRs]),
    [
      ['10.244.0.0/24', ['10.244.0.0/24']],
      ['10.244.1.0/24', ['10.244.1.0/24']],
      ['10.244.2.0/24', ['10.244.2.0/24']],
    ],
  );
});

test('nodes: dual-stack clusters give each node one podCIDR per family, primary first', () => {
  const ctx = cluster([], dualStackClusterConfig());
  settle(ctx, [nodeController]);
  assert.deepEqual(get(ctx, 'podnet-worker').spec?.podCIDRs, ['10.244.1.0/24', 'fd00:10:244:1::/64']);
});

test('nodes: conditions report Ready=True and no pressure; pod capacity is the kubelet default 110', () => {
  const ctx = cluster();
  settle(ctx, [nodeController]);
  const n = get(ctx, 'podnet-worker');
  assert.deepEqual(
    n.status?.conditions?.map((c) => `${c.type}=${c.status}`),
    ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True'],
  );
  assert.deepEqual(n.status?.allocatable, { pods: '110' });
});

test('nodes: given podCIDRs and addresses are honoured and never handed out again', () => {
  const given = node('b', {
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] },
  });
  const ctx = cluster([node('a'), given, node('c')]);
  settle(ctx, [nodeController]);
  assert.deepEqual(
    ctx.store.list('Node').map((n) => [n.metadata.name, n.spec?.podCIDR, n.status?.addresses?.[0].address]),
    [
      ['a', '10.244.1.0/24', '172.18.0.3'],
      ['b', '10.244.0.0/24', '172.18.0.2'],
      ['c', '10.244.2.0/24', '172.18.0.4'],
    ],
  );
  assert.deepEqual(warnings(ctx), []);
});

test('nodes: declared nodes get the same missing fields filled; their own labels and taints stay', () => {
  const declared = node('edge', {
    metadata: { name: 'edge', labels: { 'topology.kubernetes.io/zone': 'z9', tier: 'edge' } },
    spec: { taints: [] },
  });
  const ctx = cluster([declared]);
  settle(ctx, [nodeController]);
  const n = get(ctx, 'edge');
  assert.equal(n.metadata.labels?.['topology.kubernetes.io/zone'], 'z9');
  assert.equal(n.metadata.labels?.tier, 'edge');
  assert.equal(n.metadata.labels?.['kubernetes.io/hostname'], 'edge');
  assert.deepEqual(n.spec?.taints, []);
  // A declared node without a zone gets none: kind and kubeadm nodes carry no zone label.
  const bare = cluster([node('plain')]);
  settle(bare, [nodeController]);
  assert.equal(get(bare, 'plain').metadata.labels?.['topology.kubernetes.io/zone'], undefined);
  assert.equal(n.spec?.podCIDR, '10.244.0.0/24');
  assert.equal(ctx.store.count('Node'), 1, 'declared nodes replace the config nodes');
});

test('nodes: duplicate InternalIPs and podCIDRs are warnings; a podCIDR outside the cluster CIDR is kept with a warning', () => {
  const ctx = cluster([
    node('a', {
      spec: { podCIDRs: ['10.244.5.0/24'] },
      status: { addresses: [{ type: 'InternalIP', address: '172.18.0.9' }] },
    }),
    node('b', {
      spec: { podCIDRs: ['10.244.5.0/24'] },
      status: { addresses: [{ type: 'InternalIP', address: '172.18.0.9' }] },
    }),
    node('c', { spec: { podCIDRs: ['192.168.0.0/24'] } }),
  ]);
  settle(ctx, [nodeController]);
  assert.deepEqual(warnings(ctx), [
    'Node b: status.addresses: InternalIP 172.18.0.9 is also the address of node a',
    'Node b: spec.podCIDRs: podCIDR 10.244.5.0/24 overlaps the podCIDR of node a',
    "Node c: spec.podCIDRs: podCIDR 192.168.0.0/24 is outside the cluster's pod CIDRs (10.244.0.0/16); kept as given",
  ]);
  assert.equal(get(ctx, 'c').spec?.podCIDR, '192.168.0.0/24');
});

test('nodes: an exhausted cluster CIDR is an error naming CIDRNotAvailable (node IPAM controller event)', () => {
  const config = defaultClusterConfig();
  config.podSubnets = [cidr('10.244.0.0/23')];
  const ctx = cluster([], config);
  settle(ctx, [nodeController]);
  assert.deepEqual(errors(ctx), [
    'Node podnet-worker2: spec.podCIDRs: CIDRNotAvailable: no remaining /24 CIDRs left to allocate in the cluster CIDR 10.244.0.0/23',
  ]);
  assert.equal(get(ctx, 'podnet-worker2').spec?.podCIDRs, undefined);
});

test('nodes: a second pass writes nothing', () => {
  const ctx = cluster([node('a'), node('b', { spec: { podCIDR: '10.244.7.0/24' } })]);
  assert.equal(settle(ctx, [nodeController]), 2);
});
