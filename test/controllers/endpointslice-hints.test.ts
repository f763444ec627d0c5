import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointSlice, Service } from '../../src/api/types.js';
import type { Store } from '../../src/store/store.js';
import { converge, node, pod, rerunWrites, service, storeWith } from './endpointslice-fixtures.js';

const AUTO = { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } };

function endpoints(store: Store, name: string) {
  return store
    .list('EndpointSlice', 'default')
    .filter((s: EndpointSlice) => s.metadata.labels?.['kubernetes.io/service-name'] === name)
    .flatMap((s) => s.endpoints)
    .sort((a, b) => (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? ''));
}

function hintCounts(store: Store, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of endpoints(store, name))
    for (const z of e.hints?.forZones ?? []) out[z.name] = (out[z.name] ?? 0) + 1;
  return out;
}

/** Pods on the given nodes (n1 = zone-a, n2 = zone-b, n3 = zone-c). */
function podsOn(nodes: string[], extra: Parameters<typeof pod>[1] = {}) {
  return nodes.map((n, i) => pod(`p${i}`, { ips: [`10.244.1.${i + 1}`], node: n, ...extra }));
}

test('Topology: trafficDistribution PreferClose hints each ready endpoint for its own zone (trafficdist preferClose heuristic)', () => {
  const store = storeWith([
    service('web', { trafficDistribution: 'PreferClose' }),
    ...podsOn(['n1', 'n2']),
    pod('unready', { ips: ['10.244.1.9'], node: 'n3', ready: false }),
  ]);
  converge(store);
  assert.deepEqual(
    endpoints(store, 'web').map((e) => [e.targetRef?.name, e.hints]),
    [
      ['p0', { forZones: [{ name: 'zone-a' }] }],
      ['p1', { forZones: [{ name: 'zone-b' }] }],
      ['unready', undefined],
    ],
  );
});

test("Topology: trafficDistribution PreferSameNode adds a hint for the endpoint's own node", () => {
  const store = storeWith([service('web', { trafficDistribution: 'PreferSameNode' }), ...podsOn(['n2'])]);
  converge(store);
  assert.deepEqual(endpoints(store, 'web')[0].hints, {
    forZones: [{ name: 'zone-b' }],
    forNodes: [{ name: 'n2' }],
  });
});

test('Topology: topology-mode Auto with endpoints spread like capacity hints each endpoint for its own zone (topologycache AddHints)', () => {
  const store = storeWith([service('web', {}, AUTO), ...podsOn(['n1', 'n2', 'n3', 'n1', 'n2', 'n3'])]);
  const { diagnostics } = converge(store);
  assert.deepEqual(diagnostics, []);
  for (const e of endpoints(store, 'web'))
    assert.deepEqual(e.hints, { forZones: [{ name: e.zone as string }] });
});

test('Topology: topology-mode Auto moves endpoints from over-served zones to under-served ones, in proportion to zone capacity', () => {
  const store = storeWith([service('web', {}, AUTO), ...podsOn(['n1', 'n1', 'n1', 'n1', 'n2', 'n3'])]);
  converge(store);
  assert.deepEqual(hintCounts(store, 'web'), { 'zone-a': 2, 'zone-b': 2, 'zone-c': 2 });
  // Zone b and c keep their own endpoints; two of zone a's serve b and c.
  const own = endpoints(store, 'web').filter((e) => e.hints?.forZones?.[0].name === e.zone);
  assert.equal(own.length, 4);
});

test('Topology: topology-mode Auto weighs zones by allocatable CPU of ready worker nodes; control-plane nodes do not count', () => {
  const big = node('n1', 'zone-a');
  big.status = { ...big.status, allocatable: { cpu: '3' } };
  const small = node('n2', 'zone-b');
  small.status = { ...small.status, allocatable: { cpu: '1000m' } };
  const cp = node('cp', undefined, { 'node-role.kubernetes.io/control-plane': '' });
  const store = storeWith([
    big,
    small,
    cp,
    service('web', {}, AUTO),
    ...podsOn(['n1', 'n1', 'n2', 'n2', 'n2', 'n2', 'n2', 'n2']),
  ]);
  converge(store);
  assert.deepEqual(hintCounts(store, 'web'), { 'zone-a': 6, 'zone-b': 2 });
});

test('Topology: topology-mode Auto without enough endpoints removes hints and says why (TopologyAwareHintsDisabled)', () => {
  const store = storeWith([
    service('web', { trafficDistribution: 'PreferClose' }, AUTO),
    ...podsOn(['n1', 'n2']),
  ]);
  const { diagnostics } = converge(store);
  assert.deepEqual(hintCounts(store, 'web'), {}, 'the annotation wins over trafficDistribution');
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    [
      'metadata.annotations[service.kubernetes.io/topology-mode]: topology aware hints disabled: Insufficient number of endpoints (2 endpoints, 3 zones), addressType: IPv4',
    ],
  );
});

test('Topology: a worker node without a zone disables Auto hints (insufficient node information)', () => {
  const store = storeWith([
    node('n1', 'zone-a'),
    node('n2', 'zone-b'),
    node('n3'),
    service('web', {}, AUTO),
    ...podsOn(['n1', 'n2', 'n1', 'n2']),
  ]);
  const { diagnostics } = converge(store);
  assert.deepEqual(hintCounts(store, 'web'), {});
  assert.match(diagnostics[0].message, /Insufficient Node information/);
});

test('Topology: hints are removed once neither the annotation nor trafficDistribution asks for them; a second pass writes nothing', () => {
  const store = storeWith([service('web', {}, AUTO), ...podsOn(['n1', 'n2', 'n3'])]);
  converge(store);
  assert.equal(rerunWrites(store), 0);
  assert.deepEqual(hintCounts(store, 'web'), { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 });
  const svc = structuredClone(store.get('Service', 'default', 'web') as Service);
  delete svc.metadata.annotations;
  store.put(svc);
  converge(store);
  assert.deepEqual(hintCounts(store, 'web'), {});
});
