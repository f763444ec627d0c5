import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment, EndpointSlice, Endpoints, Pod, Service } from '../../src/api/types.js';
import { nodeController } from '../../src/controllers/cluster/nodes.js';
import { systemObjectsController } from '../../src/controllers/cluster/system.js';
import { converge } from '../../src/controllers/index.js';
import { CORE, cluster, daemonSet, deployment, errors, node, settle, statefulSet } from './core-fixtures.js';

const SYSTEM = [nodeController, systemObjectsController];

test('system: Service default/kubernetes: ClusterIP 10.96.0.1, port https 443 -> 6443/TCP, no selector, apiserver labels (kube-apiserver)', () => {
  const ctx = cluster();
  settle(ctx, SYSTEM);
  assert.deepEqual(errors(ctx), []);
  const svc = ctx.store.get('Service', 'default', 'kubernetes') as Service;
  assert.deepEqual(svc.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
  assert.equal(svc.spec.selector, undefined);
  assert.equal(svc.spec.clusterIP, '10.96.0.1');
  assert.deepEqual(svc.spec.clusterIPs, ['10.96.0.1']);
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.equal(
    svc.spec.internalTrafficPolicy,
    'Cluster',
    'written already defaulted, as admission defaults it',
  );
  assert.deepEqual(svc.spec.ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }]);
});

test("system: the API server's endpoints point at the control-plane node's InternalIP:6443 (EndpointsAdapter: skip-mirror Endpoints, service-name slice without managed-by)", () => {
  const ctx = cluster();
  settle(ctx, SYSTEM);
  const ep = ctx.store.get('Endpoints', 'default', 'kubernetes') as Endpoints;
  assert.deepEqual(ep.metadata.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  assert.deepEqual(ep.subsets, [
    { addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
  ]);
  const slice = ctx.store.get('EndpointSlice', 'default', 'kubernetes') as EndpointSlice;
  assert.deepEqual(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
  assert.equal(slice.metadata.ownerReferences, undefined);
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.endpoints, [{ addresses: ['172.18.0.2'], conditions: { ready: true } }]);
  assert.deepEqual(slice.ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
});

test("system: without a control-plane node the API server address is the first node's", () => {
  const ctx = cluster([
    node('solo', { status: { addresses: [{ type: 'InternalIP', address: '172.18.0.9' }] } }),
  ]);
  settle(ctx, SYSTEM);
  assert.equal(
    (ctx.store.get('EndpointSlice', 'default', 'kubernetes') as EndpointSlice).endpoints[0].addresses[0],
    '172.18.0.9',
  );
});

test('system: Service kube-system/kube-dns as kubeadm installs it: 10.96.0.10, dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP', () => {
  const ctx = cluster();
  settle(ctx, SYSTEM);
  const svc = ctx.store.get('Service', 'kube-system', 'kube-dns') as Service;
  assert.deepEqual(svc.metadata.labels, {
    'k8s-app': 'kube-dns',
    'kubernetes.io/cluster-service': 'true',
    'kubernetes.io/name': 'CoreDNS',
  });
  assert.deepEqual(svc.metadata.annotations, {
    'prometheus.io/port': '9153',
    'prometheus.io/scrape': 'true',
  });
  assert.equal(svc.spec.clusterIP, '10.96.0.10');
  assert.deepEqual(svc.spec.selector, { 'k8s-app': 'kube-dns' });
  assert.deepEqual(
    svc.spec.ports?.map((p) => `${p.name} ${p.port}/${p.protocol}->${p.targetPort}`),
    ['dns 53/UDP->53', 'dns-tcp 53/TCP->53', 'metrics 9153/TCP->9153'],
  );
});

test('system: Deployment kube-system/coredns as kubeadm installs it: 2 replicas, CoreDNS v1.11.3, dnsPolicy Default, critical, tolerating the control plane', () => {
  const ctx = cluster();
  settle(ctx, SYSTEM);
  const d = ctx.store.get('Deployment', 'kube-system', 'coredns') as Deployment;
  assert.equal(d.spec.replicas, 2);
  assert.deepEqual(d.metadata.labels, { 'k8s-app': 'kube-dns' });
  const spec = d.spec.template.spec;
  assert.equal(spec.dnsPolicy, 'Default');
  assert.equal(spec.priorityClassName, 'system-cluster-critical');
  assert.equal(spec.restartPolicy, 'Always', 'defaulted by admission');
  assert.deepEqual(spec.tolerations, [
    { key: 'CriticalAddonsOnly', operator: 'Exists' },
    { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
  ]);
  const [c] = spec.containers;
  assert.equal(c.image, 'registry.k8s.io/coredns/coredns:v1.11.3');
  assert.deepEqual(c.ports, [
    { containerPort: 53, name: 'dns', protocol: 'UDP' },
    { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
    { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
  ]);
});

test('system: objects of those names given in the manifests win and are never overwritten', () => {
  const mine: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system' },
    spec: { clusterIP: '10.96.0.53', ports: [{ port: 53, protocol: 'UDP' }] },
  };
  const ctx = cluster([mine]);
  settle(ctx, SYSTEM);
  assert.equal((ctx.store.get('Service', 'kube-system', 'kube-dns') as Service).spec.clusterIP, '10.96.0.53');
});

test('system: CoreDNS settles like any workload: READY 2/2, spread over the workers and the tolerated control plane', () => {
  const ctx = cluster();
  settle(ctx, [...CORE.slice(0, 2), systemObjectsController, ...CORE.slice(2)]);
  const d = ctx.store.get('Deployment', 'kube-system', 'coredns') as Deployment;
  assert.equal(d.status?.readyReplicas, 2);
  const coredns = ctx.store.list('Pod').filter((p) => p.metadata.namespace === 'kube-system');
  assert.deepEqual(
    coredns.map((p) => [p.spec.nodeName, p.status?.phase, p.spec.enableServiceLinks]),
    [
      ['podnet-control-plane', 'Running', true],
      ['podnet-worker', 'Running', true],
    ],
  );
  assert.deepEqual(errors(ctx), []);
});

test('converge: every controller together settles the default cluster; a second converge writes nothing; two runs are byte-identical', () => {
  const run = () => {
    const ctx = cluster([
      deployment('web', 3),
      statefulSet('db', 2),
      daemonSet('agent', { hostNetwork: true }),
    ]);
    converge(ctx);
    const rv = ctx.store.resourceVersion;
    assert.equal(converge(ctx), 1);
    assert.equal(ctx.store.resourceVersion, rv);
    assert.deepEqual(errors(ctx), []);
    const kinds = [
      'Namespace',
      'Node',
      'Service',
      'Endpoints',
      'EndpointSlice',
      'Deployment',
      'ReplicaSet',
      'StatefulSet',
      'DaemonSet',
      'Pod',
    ] as const;
    return JSON.stringify(kinds.map((k) => ctx.store.list(k)));
  };
  const first = run();
  assert.equal(first, run());
  const pods = (JSON.parse(first)[9] as Pod[]).filter((p) => p.status?.phase === 'Running');
  assert.equal(pods.length, 2 + 3 + 2 + 2, 'coredns, web, db and one agent per worker');
});
