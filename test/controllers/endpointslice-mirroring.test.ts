import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointSlice, Endpoints } from '../../src/api/types.js';
import type { Store } from '../../src/store/store.js';
import { converge, rerunWrites, service, storeWith } from './endpointslice-fixtures.js';

function mirrored(store: Store, name: string): EndpointSlice[] {
  return store
    .list('EndpointSlice', 'default')
    .filter(
      (s) =>
        s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] ===
        'endpointslicemirroring-controller.k8s.io',
    )
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name)
    .sort((a, b) => a.addressType.localeCompare(b.addressType));
}

function endpoints(
  name: string,
  subsets: Endpoints['subsets'],
  meta: Partial<Endpoints['metadata']> = {},
): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default', ...meta }, subsets };
}

const external = () =>
  service('external', {
    selector: undefined,
    ports: [{ name: 'db', protocol: 'TCP', port: 5432, targetPort: 5432 }],
  });

test('Mirroring: Endpoints of a Service without a selector become EndpointSlices, one per address family (endpointslicemirroring controller)', () => {
  const store = storeWith([
    external(),
    endpoints(
      'external',
      [
        {
          addresses: [{ ip: '192.0.2.10', hostname: 'db1' }, { ip: '2001:db8::10' }],
          notReadyAddresses: [{ ip: '192.0.2.11', nodeName: 'n1' }],
          ports: [{ name: 'db', port: 5432, protocol: 'TCP' }],
        },
      ],
      {
        labels: { team: 'data' },
        annotations: { note: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
    ),
  ]);
  const { diagnostics } = converge(store);
  assert.deepEqual(diagnostics, []);
  const [v4, v6, ...rest] = mirrored(store, 'external');
  assert.equal(rest.length, 0);
  assert.equal(v4.addressType, 'IPv4');
  assert.deepEqual(v4.endpoints, [
    { addresses: ['192.0.2.10'], conditions: { ready: true }, hostname: 'db1' },
    { addresses: ['192.0.2.11'], conditions: { ready: false }, nodeName: 'n1' },
  ]);
  assert.deepEqual(v4.ports, [{ name: 'db', protocol: 'TCP', port: 5432 }]);
  assert.deepEqual(v4.metadata.labels, {
    team: 'data',
    'kubernetes.io/service-name': 'external',
    'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
  });
  assert.deepEqual(
    v4.metadata.annotations,
    { note: 'x' },
    'all annotations but last-applied-configuration and the trigger time',
  );
  assert.equal(v4.metadata.ownerReferences?.[0].kind, 'Endpoints');
  assert.match(v4.metadata.name, /^external-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(v6.endpoints, [{ addresses: ['2001:db8::10'], conditions: { ready: true } }]);
  assert.equal(rerunWrites(store), 0);
});

test('Mirroring: skip-mirror Endpoints, Endpoints of Services with a selector, and Endpoints without a Service are not mirrored', () => {
  const subsets = [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' as const }] }];
  const store = storeWith([
    external(),
    endpoints('external', subsets, { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }),
    service('selected'),
  ]);
  converge(store);
  assert.deepEqual(mirrored(store, 'external'), []);
  assert.deepEqual(mirrored(store, 'selected'), []);
});

test('Mirroring: at most 1000 addresses per subset are mirrored, invalid IPs are skipped, each with a warning (TooManyAddressesToMirror, InvalidIPAddress)', () => {
  const addresses = Array.from({ length: 1002 }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}` }));
  const store = storeWith([
    external(),
    endpoints('external', [
      { addresses: [...addresses, { ip: '0.0.0.999' }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]),
  ]);
  const { diagnostics } = converge(store);
  assert.equal(mirrored(store, 'external')[0].endpoints.length, 1000);
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    [
      'Skipped 1 invalid IP addresses when mirroring to EndpointSlices',
      'A max of 1000 addresses can be mirrored to EndpointSlices per Endpoints subset. 3 addresses were skipped',
    ],
  );
});

test('Mirroring: mirrored slices follow their Endpoints — updated in place, deleted with them', () => {
  const store = storeWith([
    external(),
    endpoints('external', [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80, protocol: 'TCP' }] }]),
  ]);
  converge(store);
  const [before] = mirrored(store, 'external');
  store.put(
    endpoints('external', [{ addresses: [{ ip: '192.0.2.2' }], ports: [{ port: 80, protocol: 'TCP' }] }]),
  );
  converge(store);
  const [after] = mirrored(store, 'external');
  assert.equal(after.metadata.name, before.metadata.name);
  assert.deepEqual(after.endpoints[0].addresses, ['192.0.2.2']);
  store.delete('Endpoints', 'default', 'external');
  converge(store);
  assert.deepEqual(mirrored(store, 'external'), []);
});
