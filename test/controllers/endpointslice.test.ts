import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig, dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { EndpointSlice, KubeObject } from '../../src/api/types.js';
import { collectingContext } from '../../src/controllers/context.js';
import { makeEndpointSliceController } from '../../src/controllers/endpoints/endpointslice.js';
import { serviceAllocatorController } from '../../src/controllers/services/service-allocator.js';
import type { Store } from '../../src/store/store.js';
import { converge, pod, port, rerunWrites, service, snapshot, storeWith } from './endpointslice-fixtures.js';

function slicesOf(store: Store, name: string, ns = 'default'): EndpointSlice[] {
  return store
    .list('EndpointSlice', ns)
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

function endpointNames(slice: EndpointSlice): string[] {
  return slice.endpoints.map((e) => e.targetRef?.name as string).sort();
}

function ipPods(n: number, extra: Parameters<typeof pod>[1] = {}) {
  return Array.from({ length: n }, (_, i) =>
    pod(`p${String(i).padStart(3, '0')}`, {
      ips: [`10.244.${(i >> 8) + 1}.${i & 255}`],
      node: `n${(i % 3) + 1}`,
      ...extra,
    }),
  );
}

test('EndpointSlice: one IPv4 slice per Service with endpoints, labels and owner as the controller writes them (endpointslice reconciler)', () => {
  const store = storeWith([
    service('web', {}, { labels: { tier: 'front', 'endpointslice.kubernetes.io/managed-by': 'me' } }),
    ...ipPods(2),
  ]);
  converge(store);
  const [slice, ...rest] = slicesOf(store, 'web');
  assert.equal(rest.length, 0);
  assert.match(slice.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(slice.metadata.generateName, 'web-');
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.metadata.labels, {
    tier: 'front',
    'kubernetes.io/service-name': 'web',
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
  });
  const svc = store.get('Service', 'default', 'web');
  assert.deepEqual(slice.metadata.ownerReferences, [
    {
      apiVersion: 'v1',
      kind: 'Service',
      name: 'web',
      uid: svc?.metadata.uid ?? slice.metadata.ownerReferences?.[0].uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  assert.deepEqual(slice.ports, [{ name: '', protocol: 'TCP', port: 80 }]);
  const ep = slice.endpoints.find((e) => e.targetRef?.name === 'p000');
  assert.deepEqual(
    { ...ep, targetRef: { ...ep?.targetRef, uid: undefined } },
    {
      addresses: ['10.244.1.0'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'p000', uid: undefined },
      nodeName: 'n1',
      zone: 'zone-a',
    },
  );
});

test('EndpointSlice: pods without IPs and Succeeded/Failed pods are left out (ShouldPodBeInEndpoints)', () => {
  const store = storeWith([
    service('web'),
    pod('ok', { ips: ['10.244.1.2'] }),
    pod('no-ip'),
    pod('done', { ips: ['10.244.1.3'], phase: 'Succeeded' }),
    pod('failed', { ips: ['10.244.1.4'], phase: 'Failed' }),
    pod('pending-with-ip', { ips: ['10.244.1.5'], phase: 'Pending', ready: false }),
  ]);
  converge(store);
  assert.deepEqual(endpointNames(slicesOf(store, 'web')[0]), ['ok', 'pending-with-ip']);
});

test('EndpointSlice: conditions — ready = Ready and not terminating, serving = Ready, terminating = deletionTimestamp; terminating pods stay listed (EndpointSliceTerminatingCondition, GA)', () => {
  const store = storeWith([
    service('web'),
    pod('ready', { ips: ['10.244.1.1'] }),
    pod('unready', { ips: ['10.244.1.2'], ready: false }),
    pod('terminating', { ips: ['10.244.1.3'], deleting: true }),
    pod('terminating-unready', { ips: ['10.244.1.4'], deleting: true, ready: false }),
  ]);
  converge(store);
  const byName = Object.fromEntries(
    slicesOf(store, 'web')[0].endpoints.map((e) => [e.targetRef?.name, e.conditions]),
  );
  assert.deepEqual(byName, {
    ready: { ready: true, serving: true, terminating: false },
    unready: { ready: false, serving: false, terminating: false },
    terminating: { ready: false, serving: true, terminating: true },
    'terminating-unready': { ready: false, serving: false, terminating: true },
  });
});

test('EndpointSlice: publishNotReadyAddresses makes every endpoint ready (podToEndpoint)', () => {
  const store = storeWith([
    service('web', { publishNotReadyAddresses: true }),
    pod('unready', { ips: ['10.244.1.2'], ready: false }),
    pod('terminating', { ips: ['10.244.1.3'], deleting: true }),
  ]);
  converge(store);
  for (const e of slicesOf(store, 'web')[0].endpoints) assert.equal(e.conditions?.ready, true);
});

test('EndpointSlice: hostname is set when the pod has spec.hostname and its subdomain is the Service name (ShouldSetHostname)', () => {
  const store = storeWith([
    service('db', { clusterIP: 'None' }),
    pod('db-0', { ips: ['10.244.1.2'], hostname: 'db-0', subdomain: 'db' }),
    pod('other', { ips: ['10.244.1.3'], hostname: 'other', subdomain: 'elsewhere' }),
    pod('nohost', { ips: ['10.244.1.4'], subdomain: 'db' }),
  ]);
  converge(store);
  const slice = slicesOf(store, 'db')[0];
  assert.deepEqual(
    slice.endpoints.map((e) => [e.targetRef?.name, e.hostname]),
    [
      ['db-0', 'db-0'],
      ['nohost', undefined],
      ['other', undefined],
    ],
  );
  assert.equal(slice.metadata.labels?.['service.kubernetes.io/headless'], '');
});

test('EndpointSlice: pods whose named targetPort resolves to different numbers land in different slices (endpointslice reconciler: endpoint sets keyed by port mapping)', () => {
  const http = (n: number) => [{ name: 'http', containerPort: n, protocol: 'TCP' as const }];
  const store = storeWith([
    service('web', {
      ports: [port(80, { name: 'web', targetPort: 'http' }), port(9090, { name: 'metrics' })],
    }),
    pod('a', { ips: ['10.244.1.1'], ports: http(8080) }),
    pod('b', { ips: ['10.244.1.2'], ports: http(8080) }),
    pod('c', { ips: ['10.244.1.3'], ports: http(9000) }),
    pod('udp', { ips: ['10.244.1.4'], ports: [{ name: 'http', containerPort: 8080, protocol: 'UDP' }] }),
  ]);
  converge(store);
  const slices = slicesOf(store, 'web');
  const byPorts = new Map(slices.map((s) => [JSON.stringify(s.ports), endpointNames(s)]));
  assert.deepEqual(
    byPorts,
    new Map([
      [
        JSON.stringify([
          { name: 'web', protocol: 'TCP', port: 8080 },
          { name: 'metrics', protocol: 'TCP', port: 9090 },
        ]),
        ['a', 'b'],
      ],
      [
        JSON.stringify([
          { name: 'web', protocol: 'TCP', port: 9000 },
          { name: 'metrics', protocol: 'TCP', port: 9090 },
        ]),
        ['c'],
      ],
      // A named port must match the Service port's protocol too; unresolved, the port is left out.
      [JSON.stringify([{ name: 'metrics', protocol: 'TCP', port: 9090 }]), ['udp']],
    ]),
  );
});

test('EndpointSlice: a named targetPort resolves on sidecar containers (init containers with restartPolicy Always)', () => {
  const p = pod('a', { ips: ['10.244.1.1'] });
  p.spec.initContainers = [
    {
      name: 'init',
      restartPolicy: 'Never',
      ports: [{ name: 'proxy', containerPort: 1111, protocol: 'TCP' }],
    },
    {
      name: 'sidecar',
      restartPolicy: 'Always',
      ports: [{ name: 'proxy', containerPort: 15001, protocol: 'TCP' }],
    },
  ];
  const store = storeWith([service('web', { ports: [port(80, { targetPort: 'proxy' })] }), p]);
  converge(store);
  assert.deepEqual(slicesOf(store, 'web')[0].ports, [{ name: '', protocol: 'TCP', port: 15001 }]);
});

test('EndpointSlice: at most 100 endpoints per slice — 250 pods make slices of 100/100/50 (endpointslice controller maxEndpointsPerSlice)', () => {
  const store = storeWith([service('web'), ...ipPods(250)]);
  converge(store);
  const slices = slicesOf(store, 'web');
  assert.deepEqual(
    slices.map((s) => s.endpoints.length).sort((a, b) => b - a),
    [100, 100, 50],
  );
  assert.equal(new Set(slices.flatMap((s) => endpointNames(s))).size, 250);
});

test('EndpointSlice: maxEndpointsPerSlice is configurable (--max-endpoints-per-slice)', () => {
  const store = storeWith([service('web'), ...ipPods(10)]);
  const ctx = collectingContext(store, defaultClusterConfig());
  serviceAllocatorController.reconcile(ctx);
  makeEndpointSliceController({ maxEndpointsPerSlice: 4 }).reconcile(ctx);
  assert.deepEqual(
    slicesOf(store, 'web')
      .map((s) => s.endpoints.length)
      .sort(),
    [2, 4, 4],
  );
});

test('EndpointSlice: a dual-stack Service gets IPv4 and IPv6 slices; a single-stack one only its family (getAddressTypesForService)', () => {
  const ips = (i: number) => [`10.244.1.${i}`, `fd00:10:244:1::${i}`];
  const store = storeWith([
    service('dual', { ipFamilyPolicy: 'PreferDualStack' }),
    service('v6', { ipFamilies: ['IPv6'] }),
    pod('a', { ips: ips(1) }),
    pod('b', { ips: ips(2) }),
  ]);
  converge(store, dualStackClusterConfig());
  const dual = slicesOf(store, 'dual');
  assert.deepEqual(dual.map((s) => s.addressType).sort(), ['IPv4', 'IPv6']);
  const v6 = dual.find((s) => s.addressType === 'IPv6') as EndpointSlice;
  assert.deepEqual(
    v6.endpoints.map((e) => e.addresses),
    [['fd00:10:244:1::1'], ['fd00:10:244:1::2']],
  );
  assert.deepEqual(
    slicesOf(store, 'v6').map((s) => s.addressType),
    ['IPv6'],
  );
});

test('EndpointSlice: a Service selecting no pods gets one empty placeholder slice, kept across passes (reconciler placeholder)', () => {
  const store = storeWith([service('lonely', { selector: { app: 'nothing' } }), ...ipPods(3)]);
  converge(store);
  assert.equal(rerunWrites(store), 0);
  const slices = slicesOf(store, 'lonely');
  assert.equal(slices.length, 1);
  assert.deepEqual([slices[0].endpoints, slices[0].ports], [[], []]);
});

test('EndpointSlice: Services without a selector keep user-provided slices; ExternalName Services get none', () => {
  const manual: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'manual-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'manual' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['192.0.2.10'] }],
    ports: [{ name: '', protocol: 'TCP', port: 80 }],
  };
  const store = storeWith([
    service('manual', { selector: undefined }),
    service('ext', { type: 'ExternalName', externalName: 'example.com', ports: undefined }),
    manual,
    ...ipPods(2),
  ]);
  converge(store);
  assert.deepEqual(
    slicesOf(store, 'manual').map((s) => s.metadata.name),
    ['manual-1'],
  );
  assert.deepEqual(slicesOf(store, 'manual')[0].endpoints, manual.endpoints);
  assert.deepEqual(slicesOf(store, 'ext'), []);
});

test('EndpointSlice: slices are updated in place when pods go, and slices of a deleted Service are garbage collected (ownerReferences)', () => {
  const store = storeWith([service('web'), service('gone'), ...ipPods(250)]);
  converge(store);
  const names = slicesOf(store, 'web').map((s) => s.metadata.name);
  for (let i = 0; i < 60; i++) store.delete('Pod', 'default', `p${String(i).padStart(3, '0')}`);
  store.delete('Service', 'default', 'gone');
  converge(store);
  const after = slicesOf(store, 'web');
  assert.deepEqual(
    after.map((s) => s.metadata.name).filter((n) => !names.includes(n)),
    [],
    'no new slice names',
  );
  assert.equal(
    after.reduce((n, s) => n + s.endpoints.length, 0),
    190,
  );
  assert.deepEqual(slicesOf(store, 'gone'), []);
});

test('EndpointSlice: endpoints of new pods fill existing slices before new slices are created (reconcileByPortMapping)', () => {
  const store = storeWith([service('web'), ...ipPods(150)]);
  converge(store);
  const before = slicesOf(store, 'web').map((s) => s.metadata.name);
  for (const p of ipPods(190).slice(150)) store.put(p);
  converge(store);
  const after = slicesOf(store, 'web');
  assert.deepEqual(
    after.map((s) => s.metadata.name),
    before,
  );
  assert.deepEqual(after.map((s) => s.endpoints.length).sort(), [100, 90]);
});

test('EndpointSlice: a pod on a Node that does not exist is skipped with a warning unless the Service publishes not-ready addresses', () => {
  const store = storeWith([
    service('web'),
    service('all', { publishNotReadyAddresses: true }),
    pod('lost', { ips: ['10.244.9.9'], node: 'ghost' }),
    pod('ok', { ips: ['10.244.1.1'] }),
  ]);
  const { diagnostics } = converge(store);
  assert.deepEqual(endpointNames(slicesOf(store, 'web')[0]), ['ok']);
  assert.deepEqual(endpointNames(slicesOf(store, 'all')[0]), ['lost', 'ok']);
  assert.deepEqual(
    diagnostics.map((d) => `${d.object}: ${d.message}`),
    ['Service default/web: skipping Pod lost: Node "ghost" Not Found'],
  );
});

test('EndpointSlice: existing managed slices from a snapshot are kept by name when still correct', () => {
  const first = storeWith([service('web', {}, { uid: 'svc-uid-1' }), ...ipPods(3)]);
  converge(first);
  const exported = [...first.list('EndpointSlice'), ...first.list('Endpoints')].map(
    (s) => structuredClone(s) as KubeObject,
  );
  const svc = structuredClone(first.get('Service', 'default', 'web') as KubeObject);
  const second = storeWith([svc, ...exported, ...ipPods(3)]);
  const rvBefore = second.resourceVersion;
  const { passes } = converge(second);
  assert.equal(passes, 1, 'nothing to write');
  assert.equal(second.resourceVersion, rvBefore);
});

test('EndpointSlice: a second pass writes nothing and two runs are byte-identical', () => {
  const objects = [
    service('web', { ipFamilyPolicy: 'PreferDualStack', trafficDistribution: 'PreferClose' }),
    service('h', { clusterIP: 'None' }),
    ...Array.from({ length: 120 }, (_, i) =>
      pod(`p${i}`, { ips: [`10.244.1.${i}`, `fd00:10:244:1::${i}`], node: `n${(i % 3) + 1}` }),
    ),
  ];
  const a = storeWith(objects);
  converge(a, dualStackClusterConfig());
  assert.equal(rerunWrites(a, dualStackClusterConfig()), 0);
  const b = storeWith(objects);
  converge(b, dualStackClusterConfig());
  assert.equal(snapshot(a), snapshot(b));
});

test('EndpointSlice: a pod change reaches the slices on the next pass of the same run (informer-driven resync)', () => {
  const store = storeWith([service('web'), pod('a', { ips: ['10.244.1.1'] })]);
  const { ctx } = converge(store);
  const p = structuredClone(
    store.get('Pod', 'default', 'a') as KubeObject & {
      status: { conditions: { type: string; status: string }[] };
    },
  );
  p.status.conditions = [{ type: 'Ready', status: 'False' }];
  store.put(p);
  makeEndpointSliceController().reconcile(ctx);
  assert.equal(slicesOf(store, 'web')[0].endpoints[0].conditions?.ready, false);
});
