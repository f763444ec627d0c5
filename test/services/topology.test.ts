import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoint, Service } from '../../src/api/types.js';
import { routeService } from '../../src/services/route.js';
import type { ServiceRoute } from '../../src/services/types.js';
import {
  allNodes,
  ep,
  externalClient,
  frontendAt,
  NODES,
  podClient,
  service,
  slice,
  tableOf,
  terminating,
} from './fixtures.js';

const zoneHint = (zone: string) => ({ hints: { forZones: [{ name: zone }] } });
const nodeHint = (node: keyof typeof NODES) => ({
  hints: { forZones: [{ name: NODES[node].zone }], forNodes: [{ name: node }] },
});

/** Endpoints as the EndpointSlice controller hints them for PreferClose: each for its own zone. */
const zoned = (): Endpoint[] => [
  ep('10.244.1.2', 'n1', zoneHint('zone-a')),
  ep('10.244.2.2', 'n2', zoneHint('zone-a')),
  ep('10.244.3.2', 'n3', zoneHint('zone-b')),
];

function routeFrom(
  node: keyof typeof NODES,
  endpoints: Endpoint[],
  spec: Partial<Service['spec']> = { trafficDistribution: 'PreferClose' },
): ServiceRoute {
  const w = tableOf([...allNodes(), service('web', spec), slice('web-1', 'web', endpoints)]);
  return routeService(w.table, w.store, podClient('10.244.9.9', node), frontendAt(w.table, '10.96.0.20', 80));
}

const ips = (r: ServiceRoute) => r.candidates.map((c) => c.ip);

test('Topology: when every ready endpoint has a zone hint and some name the client node’s zone, only those are used (PreferSameZone)', () => {
  const a = routeFrom('n1', zoned());
  assert.deepEqual([a.selection, ips(a)], ['same-zone', ['10.244.1.2', '10.244.2.2']]);
  assert.deepEqual(
    a.excluded.map((e) => [e.endpoint.ip, e.why]),
    [['10.244.3.2', 'not-hinted']],
  );
  assert.match(a.reason, /2 ready endpoints hinted for zone zone-a \(trafficDistribution PreferClose\)/);
  assert.deepEqual(ips(routeFrom('n3', zoned())), ['10.244.3.2']);
});

test('Topology: hints are ignored unless every ready endpoint has one (topologyModeFromHints)', () => {
  const partial = zoned();
  delete partial[2].hints;
  const r = routeFrom('n1', partial);
  assert.deepEqual([r.selection, r.candidates.length], ['ready', 3]);
  assert.match(r.reason, /topology hints ignored: not every ready endpoint has a zone hint/);
});

test('Topology: hints are ignored when none names the client node’s zone, or the node has no zone label', () => {
  const onlyA = [ep('10.244.1.2', 'n1', zoneHint('zone-a')), ep('10.244.2.2', 'n2', zoneHint('zone-a'))];
  const fromB = routeFrom('n3', onlyA);
  assert.deepEqual([fromB.selection, fromB.candidates.length], ['ready', 2]);
  assert.match(fromB.reason, /no endpoint is hinted for zone zone-b/);

  const unlabelled = allNodes();
  delete unlabelled[0].metadata.labels?.['topology.kubernetes.io/zone'];
  const w = tableOf([
    ...unlabelled,
    service('web', { trafficDistribution: 'PreferClose' }),
    slice('web-1', 'web', zoned()),
  ]);
  const r = routeService(
    w.table,
    w.store,
    podClient('10.244.9.9', 'n1'),
    frontendAt(w.table, '10.96.0.20', 80),
  );
  assert.equal(r.candidates.length, 3);
  assert.match(r.reason, /node n1 has no topology\.kubernetes\.io\/zone label/);
});

test('Topology: not-ready endpoints need no hint; only ready ones are counted (topologyModeFromHints skips them)', () => {
  const r = routeFrom('n1', [
    ...zoned(),
    ep('10.244.1.3', 'n1', { conditions: { ready: false, serving: false, terminating: false } }),
  ]);
  assert.equal(r.selection, 'same-zone');
});

test('Topology: PreferSameNode uses only endpoints hinted for the client node when every ready endpoint has a node hint', () => {
  const hinted = [
    ep('10.244.1.2', 'n1', nodeHint('n1')),
    ep('10.244.2.2', 'n2', nodeHint('n2')),
    ep('10.244.3.2', 'n3', nodeHint('n3')),
  ];
  const r = routeFrom('n2', hinted, { trafficDistribution: 'PreferSameNode' });
  assert.deepEqual([r.selection, ips(r)], ['same-node', ['10.244.2.2']]);
  assert.match(r.reason, /1 ready endpoint hinted for node n2 \(trafficDistribution PreferSameNode\)/);
});

test('Topology: PreferSameNode falls back to the zone hints when no endpoint is on the client node', () => {
  const hinted = [ep('10.244.1.2', 'n1', nodeHint('n1')), ep('10.244.3.2', 'n3', nodeHint('n3'))];
  const r = routeFrom('n2', hinted, { trafficDistribution: 'PreferSameNode' });
  assert.deepEqual([r.selection, ips(r)], ['same-zone', ['10.244.1.2']]);
});

test('Topology: a Local traffic policy takes precedence over hints (local endpoints ignore topology)', () => {
  const hinted = [ep('10.244.1.2', 'n1', zoneHint('zone-b')), ep('10.244.3.2', 'n3', zoneHint('zone-a'))];
  const r = routeFrom('n1', hinted, { trafficDistribution: 'PreferClose', internalTrafficPolicy: 'Local' });
  assert.deepEqual([r.selection, ips(r)], ['local', ['10.244.1.2']]);
});

test('Topology: hints also narrow external traffic under the Cluster policy, seen from the receiving node', () => {
  const w = tableOf([
    ...allNodes(),
    service('web', {
      type: 'NodePort',
      externalTrafficPolicy: 'Cluster',
      trafficDistribution: 'PreferClose',
      ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }],
    }),
    slice('web-1', 'web', zoned()),
  ]);
  const r = routeService(w.table, w.store, externalClient(), frontendAt(w.table, '172.18.0.4', 30080));
  assert.deepEqual([r.selection, ips(r)], ['same-zone', ['10.244.3.2']]);
});

test('Topology: the serving-terminating fallback ignores hints (nothing ready anywhere)', () => {
  const r = routeFrom('n1', [
    ep('10.244.2.2', 'n2', { ...terminating, ...zoneHint('zone-a') }),
    ep('10.244.3.2', 'n3', { ...terminating, ...zoneHint('zone-b') }),
  ]);
  assert.deepEqual([r.selection, r.candidates.length], ['serving-terminating', 2]);
});

test('Topology: hints written by topology-mode Auto are named so', () => {
  const w = tableOf([
    ...allNodes(),
    {
      ...service('web'),
      metadata: {
        name: 'web',
        namespace: 'default',
        annotations: { 'service.kubernetes.io/topology-mode': 'Auto' },
      },
    },
    slice('web-1', 'web', zoned()),
  ]);
  const r = routeService(
    w.table,
    w.store,
    podClient('10.244.9.9', 'n1'),
    frontendAt(w.table, '10.96.0.20', 80),
  );
  assert.match(r.reason, /hinted for zone zone-a \(topology-mode Auto\)/);
});
