import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { Endpoints } from '../../src/api/types.js';
import { truncateSubsets } from '../../src/controllers/endpoints/endpoints-subsets.js';
import type { Store } from '../../src/store/store.js';
import { converge, pod, port, rerunWrites, service, storeWith } from './endpointslice-fixtures.js';

function ep(store: Store, name: string): Endpoints {
  const e = store.get('Endpoints', 'default', name);
  assert.ok(e, `Endpoints ${name} should exist`);
  return e;
}

const ips = (addrs: { ip: string }[] | undefined) => (addrs ?? []).map((a) => a.ip);

test('Endpoints: ready pods in addresses, unready in notReadyAddresses, sorted by IP as RepackSubsets sorts; terminating pods left out (endpoints controller)', () => {
  const store = storeWith([
    service('web', {}, { labels: { app: 'web' } }),
    pod('a', { ips: ['10.244.1.10'] }),
    pod('b', { ips: ['10.244.1.2'] }),
    pod('c', { ips: ['10.244.1.3'], ready: false }),
    pod('d', { ips: ['10.244.1.4'], deleting: true }),
  ]);
  converge(store);
  const e = ep(store, 'web');
  assert.deepEqual(e.metadata.labels, { app: 'web' });
  assert.equal(e.subsets?.length, 1);
  const [s] = e.subsets ?? [];
  assert.deepEqual(ips(s.addresses), ['10.244.1.10', '10.244.1.2']);
  assert.deepEqual(ips(s.notReadyAddresses), ['10.244.1.3']);
  assert.deepEqual(s.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
  const { uid: _, ...ref } = s.addresses?.[0].targetRef ?? {};
  assert.deepEqual(
    { ...s.addresses?.[0], targetRef: ref },
    { ip: '10.244.1.10', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a' } },
  );
});

test('Endpoints: publishNotReadyAddresses puts every pod, terminating ones included, in addresses (tolerateUnreadyEndpoints)', () => {
  const store = storeWith([
    service('web', { publishNotReadyAddresses: true }),
    pod('c', { ips: ['10.244.1.3'], ready: false }),
    pod('d', { ips: ['10.244.1.4'], deleting: true }),
  ]);
  converge(store);
  assert.deepEqual(ips(ep(store, 'web').subsets?.[0].addresses), ['10.244.1.3', '10.244.1.4']);
});

test('Endpoints: addresses offering the same ports share a subset; a named port that does not resolve leaves the pod out of that port only (RepackSubsets)', () => {
  const named = (n: number) => [{ name: 'http', containerPort: n, protocol: 'TCP' as const }];
  const store = storeWith([
    service('web', {
      ports: [port(80, { name: 'web', targetPort: 'http' }), port(9090, { name: 'metrics' })],
    }),
    pod('a', { ips: ['10.244.1.1'], ports: named(8080) }),
    pod('b', { ips: ['10.244.1.2'], ports: named(8080) }),
    pod('c', { ips: ['10.244.1.3'], ports: named(9000) }),
    pod('plain', { ips: ['10.244.1.4'] }),
  ]);
  converge(store);
  const layout = (ep(store, 'web').subsets ?? []).map((s) => ({
    ports: s.ports?.map((p) => `${p.name}:${p.port}`),
    ips: ips(s.addresses),
  }));
  assert.deepEqual(layout, [
    { ports: ['web:8080'], ips: ['10.244.1.1', '10.244.1.2'] },
    { ports: ['web:9000'], ips: ['10.244.1.3'] },
    { ports: ['metrics:9090'], ips: ['10.244.1.1', '10.244.1.2', '10.244.1.3', '10.244.1.4'] },
  ]);
});

test("Endpoints: single family — the Service's first IP family picks each pod's address (podToEndpointAddressForService)", () => {
  const dual = (i: number) => [`10.244.1.${i}`, `fd00:10:244:1::${i}`];
  const store = storeWith([
    service('v4first', { ipFamilyPolicy: 'PreferDualStack' }),
    service('v6first', { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6', 'IPv4'] }),
    pod('a', { ips: dual(1) }),
  ]);
  converge(store, dualStackClusterConfig());
  assert.deepEqual(ips(ep(store, 'v4first').subsets?.[0].addresses), ['10.244.1.1']);
  assert.deepEqual(ips(ep(store, 'v6first').subsets?.[0].addresses), ['fd00:10:244:1::1']);
});

test('Endpoints: headless Services are labelled service.kubernetes.io/headless; a port-less headless Service still lists its addresses; hostname as for slices', () => {
  const store = storeWith([
    service('db', { clusterIP: 'None', ports: [] }, { labels: { app: 'db' } }),
    pod('db-0', { ips: ['10.244.1.5'], hostname: 'db-0', subdomain: 'db' }),
  ]);
  converge(store);
  const e = ep(store, 'db');
  assert.deepEqual(e.metadata.labels, { app: 'db', 'service.kubernetes.io/headless': '' });
  assert.equal(e.subsets?.length, 1);
  assert.equal(e.subsets?.[0].ports, undefined);
  assert.equal(e.subsets?.[0].addresses?.[0].hostname, 'db-0');
});

test('Endpoints: at most 1000 addresses, then truncated and annotated endpoints.kubernetes.io/over-capacity (maxCapacity)', () => {
  const pods = Array.from({ length: 1100 }, (_, i) =>
    pod(`p${i}`, { ips: [`10.244.${(i >> 8) + 1}.${i & 255}`], ready: i % 10 !== 0 }),
  );
  const store = storeWith([service('big'), ...pods]);
  converge(store);
  const e = ep(store, 'big');
  assert.equal(e.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'], 'truncated');
  const s = e.subsets?.[0];
  // Ready addresses (990) are kept first; not-ready ones fill the rest.
  assert.equal(s?.addresses?.length, 990);
  assert.equal(s?.notReadyAddresses?.length, 10);
});

test('Endpoints: truncation spreads the capacity over subsets in proportion, ready ones first (truncateEndpoints)', () => {
  const addrs = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ ip: `${p}.${i}` }));
  const subsets = [
    { addresses: addrs(900, 'a'), notReadyAddresses: addrs(5, 'x'), ports: [{ port: 1 }] },
    { addresses: addrs(300, 'b'), ports: [{ port: 2 }] },
  ];
  assert.equal(truncateSubsets(subsets), true);
  assert.deepEqual(
    subsets.map((s) => [s.addresses.length, 'notReadyAddresses' in s]),
    [
      [750, false],
      [250, false],
    ],
  );
  assert.equal(truncateSubsets([{ addresses: addrs(1000, 'c'), ports: [{ port: 1 }] }]), false);
});

test('Endpoints: Services without a selector keep user-provided Endpoints; Endpoints without a Service are deleted (checkLeftoverEndpoints)', () => {
  const manual: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'manual', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' }] }],
  };
  const orphan: Endpoints = {
    ...structuredClone(manual),
    metadata: { name: 'orphan', namespace: 'default' },
  };
  const store = storeWith([service('manual', { selector: undefined }), manual, orphan]);
  const { diagnostics } = converge(store);
  assert.deepEqual(ep(store, 'manual').subsets, manual.subsets);
  assert.equal(store.get('Endpoints', 'default', 'orphan'), undefined);
  assert.deepEqual(
    diagnostics.map((d) => `${d.object}: ${d.message}`),
    [
      'Endpoints default/orphan: deleted: no Service of this name exists (the endpoints controller removes leftover Endpoints)',
    ],
  );
});

test('Endpoints: a Service selecting nothing gets an Endpoints object without subsets; a second pass writes nothing', () => {
  const store = storeWith([
    service('none', { selector: { app: 'nothing' } }),
    pod('a', { ips: ['10.244.1.1'] }),
  ]);
  converge(store);
  assert.equal(rerunWrites(store), 0);
  assert.equal(ep(store, 'none').subsets, undefined);
});
