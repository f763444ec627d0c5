import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service, ServicePort } from '../../src/api/types.js';
import { serviceEndpoints } from '../../src/services/endpoints.js';
import { ep, service, slice, storeWith } from './fixtures.js';

const port = (svc: Service, i = 0): ServicePort => (svc.spec.ports as ServicePort[])[i];

test('Endpoints: a named targetPort resolves per endpoint through the slice ports (pods serving it on different numbers sit in different slices)', () => {
  const svc = service('web');
  const store = storeWith([
    svc,
    slice('web-abc', 'web', [ep('10.244.1.2', 'n1')], 8080),
    slice('web-def', 'web', [ep('10.244.2.2', 'n2')], 9090),
  ]);
  assert.deepEqual(
    serviceEndpoints(store, svc, port(svc), 'IPv4').map((e) => `${e.key} ${e.pod}`),
    ['10.244.1.2:8080 default/pod-10.244.1.2', '10.244.2.2:9090 default/pod-10.244.2.2'],
  );
});

test('Endpoints: a Service port takes the slice port of the same name and protocol, never another port of the slice (ServicePortName)', () => {
  const ports: ServicePort[] = [
    { name: 'http', protocol: 'TCP', port: 80 },
    { name: 'metrics', protocol: 'TCP', port: 9100 },
    { name: 'dns', protocol: 'UDP', port: 53 },
  ];
  const svc = service('multi', { ports });
  const s = slice('multi-1', 'multi', [ep('10.244.1.2', 'n1')], 8080, {
    ports: [
      { name: 'http', protocol: 'TCP', port: 8080 },
      { name: 'metrics', protocol: 'TCP', port: 9102 },
      { name: 'dns', protocol: 'TCP', port: 5353 },
    ],
  });
  const store = storeWith([svc, s]);
  const portsOf = (i: number) => serviceEndpoints(store, svc, port(svc, i), 'IPv4').map((e) => e.port);
  assert.deepEqual(portsOf(0), [8080]);
  assert.deepEqual(portsOf(1), [9102]);
  assert.deepEqual(portsOf(2), [], 'the slice serves dns over TCP only');
});

test('Endpoints: an unnamed Service port matches the unnamed slice port', () => {
  const svc = service('one', { ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] });
  const store = storeWith([
    svc,
    slice('one-1', 'one', [ep('10.244.1.2', 'n1')], 8080, {
      ports: [{ name: '', protocol: 'TCP', port: 8080 }],
    }),
  ]);
  assert.equal(serviceEndpoints(store, svc, port(svc), 'IPv4')[0]?.port, 8080);
});

test('Endpoints: only slices of the frontend family; the first address of each endpoint; IPv6 text canonical (EndpointSliceCache)', () => {
  const svc = service('web');
  const v6 = slice(
    'web-v6',
    'web',
    [{ ...ep('fd00:10:244:1:0:0:0:2', 'n1'), addresses: ['fd00:10:244:1:0:0:0:2', 'fd00:10:244:1::99'] }],
    8080,
    {
      addressType: 'IPv6',
    },
  );
  const store = storeWith([svc, slice('web-v4', 'web', [ep('10.244.1.2', 'n1')]), v6]);
  assert.deepEqual(
    serviceEndpoints(store, svc, port(svc), 'IPv4').map((e) => e.ip),
    ['10.244.1.2'],
  );
  assert.deepEqual(
    serviceEndpoints(store, svc, port(svc), 'IPv6').map((e) => e.key),
    ['[fd00:10:244:1::2]:8080'],
  );
});

test('Endpoints: slices of other Services, FQDN slices and endpoints without addresses contribute nothing', () => {
  const svc = service('web');
  const store = storeWith([
    svc,
    slice('other-1', 'other', [ep('10.244.9.9', 'n1')]),
    slice('web-fqdn', 'web', [{ addresses: ['db.example.com'] }], 8080, { addressType: 'FQDN' }),
    slice('web-1', 'web', [{ addresses: [] }, ep('10.244.1.2', 'n1')]),
  ]);
  assert.deepEqual(
    serviceEndpoints(store, svc, port(svc), 'IPv4').map((e) => e.ip),
    ['10.244.1.2'],
  );
});

test('Endpoints: unset conditions read as ready and serving, not terminating (EndpointConditions contract)', () => {
  const svc = service('web');
  const bare = { addresses: ['10.244.1.2'] };
  const store = storeWith([svc, slice('web-1', 'web', [bare])]);
  const [e] = serviceEndpoints(store, svc, port(svc), 'IPv4');
  assert.deepEqual(
    [e.ready, e.serving, e.terminating, e.pod, e.node],
    [true, true, false, undefined, undefined],
  );
});

test('Endpoints: one address and port in two slices counts once; the list is sorted by "ip:port" as kube-proxy sorts it', () => {
  const svc = service('web');
  const store = storeWith([
    svc,
    slice('web-b', 'web', [ep('10.244.1.10', 'n1'), ep('10.244.1.9', 'n1')]),
    slice('web-a', 'web', [ep('10.244.1.10', 'n2')]),
  ]);
  const eps = serviceEndpoints(store, svc, port(svc), 'IPv4');
  assert.deepEqual(
    eps.map((e) => `${e.key}@${e.node}`),
    ['10.244.1.10:8080@n2', '10.244.1.9:8080@n1'],
    'string order, and the first slice by name keeps a duplicate',
  );
});

test('Endpoints: zone and node hints are read from the slice', () => {
  const svc = service('web');
  const hinted = ep('10.244.1.2', 'n1', {
    hints: { forZones: [{ name: 'zone-a' }], forNodes: [{ name: 'n1' }] },
  });
  const store = storeWith([svc, slice('web-1', 'web', [hinted])]);
  const [e] = serviceEndpoints(store, svc, port(svc), 'IPv4');
  assert.deepEqual([[...(e.zoneHints ?? [])], [...(e.nodeHints ?? [])]], [['zone-a'], ['n1']]);
});
