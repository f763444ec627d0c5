import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from '../../src/api/types.js';
import { allNodes, ip, node, service, tableOf } from './fixtures.js';

const dual = (name: string, spec: Partial<Service['spec']> = {}, status?: Service['status']) =>
  service(
    name,
    {
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20', 'fd00:10:96::20'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'RequireDualStack',
      ...spec,
    },
    status,
  );

const twoPorts = [
  { name: 'http', protocol: 'TCP' as const, port: 80, targetPort: 'http', nodePort: 30080 },
  { name: 'dns', protocol: 'UDP' as const, port: 53, targetPort: 53, nodePort: 30053 },
];

test('Frontends: one per cluster IP (every family) and port (kube-proxy service-ips map, one proxier per family)', () => {
  const { table } = tableOf([dual('web', { ports: twoPorts.map(({ nodePort, ...p }) => p) })]);
  assert.deepEqual(
    table.frontends().map((f) => [f.kind, f.ip, f.port, f.protocol, f.servicePort, f.family]),
    [
      ['ClusterIP', '10.96.0.20', 80, 'TCP', 'http', 'IPv4'],
      ['ClusterIP', '10.96.0.20', 53, 'UDP', 'dns', 'IPv4'],
      ['ClusterIP', 'fd00:10:96::20', 80, 'TCP', 'http', 'IPv6'],
      ['ClusterIP', 'fd00:10:96::20', 53, 'UDP', 'dns', 'IPv6'],
    ],
  );
});

test('Frontends: an unnamed port is named by its number (ServicePortName with an empty port name)', () => {
  const { table } = tableOf([service('web', { ports: [{ protocol: 'TCP', port: 8443, targetPort: 8443 }] })]);
  assert.equal(table.frontends()[0].servicePort, '8443');
});

test('Frontends: TCP, UDP and SCTP on one port number are three frontends (the map key is address . protocol . port)', () => {
  const ports = (['TCP', 'UDP', 'SCTP'] as const).map((protocol) => ({
    name: protocol.toLowerCase(),
    protocol,
    port: 5000,
  }));
  const { table } = tableOf([service('multi', { ports })]);
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const)
    assert.equal(table.match(ip('10.96.0.20'), 5000, protocol)?.servicePort, protocol.toLowerCase());
});

test('Frontends: a NodePort is served on every node primary address of the family, not on other addresses (nodePortAddresses primary, the nftables default)', () => {
  const n1 = node('n1');
  n1.status?.addresses?.push({ type: 'InternalIP', address: '172.18.1.2' });
  const { table } = tableOf([n1, node('n2'), dual('web', { type: 'NodePort', ports: twoPorts })]);
  const hit = table.match(ip('172.18.0.2'), 30080, 'TCP');
  assert.deepEqual(hit && [hit.kind, hit.ip, hit.node, hit.servicePort, hit.family], [
    'NodePort',
    '172.18.0.2',
    'n1',
    'http',
    'IPv4',
  ]);
  assert.equal(table.match(ip('fc00:f853:ccd:e793::3'), 30053, 'UDP')?.node, 'n2');
  assert.equal(table.match(ip('172.18.1.2'), 30080, 'TCP'), undefined, 'a second InternalIP is not primary');
  assert.equal(table.match(ip('172.18.0.2'), 30080, 'UDP'), undefined);
  assert.equal(table.match(ip('10.244.1.5'), 30080, 'TCP'), undefined, 'not a node address');
  const listed = table.frontends().filter((f) => f.kind === 'NodePort');
  assert.deepEqual(
    listed.map((f) => [f.port, f.protocol, f.family, f.ip]),
    [
      [30080, 'TCP', 'IPv4', undefined],
      [30053, 'UDP', 'IPv4', undefined],
      [30080, 'TCP', 'IPv6', undefined],
      [30053, 'UDP', 'IPv6', undefined],
    ],
  );
});

test('Frontends: a node without an InternalIP of a family serves NodePorts on its ExternalIP (GetNodeHostIPs)', () => {
  const n = node('n1');
  n.status = { addresses: [{ type: 'ExternalIP', address: '198.51.100.7' }] };
  const { table } = tableOf([n, service('web', { type: 'NodePort', ports: [twoPorts[0]] })]);
  assert.equal(table.match(ip('198.51.100.7'), 30080, 'TCP')?.node, 'n1');
  assert.deepEqual(table.node('n1')?.addresses, { IPv4: '198.51.100.7' });
});

test('Frontends: LoadBalancer ingress IPs, with ipMode recorded (VIP: captured by kube-proxy; Proxy: not)', () => {
  const status = {
    loadBalancer: {
      ingress: [
        { ip: '172.18.255.200', ipMode: 'VIP' as const },
        { ip: '198.51.100.1', ipMode: 'Proxy' as const },
        { hostname: 'lb.example.com' },
      ],
    },
  };
  const { table } = tableOf([service('web', { type: 'LoadBalancer', ports: [twoPorts[0]] }, status)]);
  const lbs = table.frontends().filter((f) => f.kind === 'LoadBalancer');
  assert.deepEqual(
    lbs.map((f) => [f.ip, f.ipMode]),
    [
      ['172.18.255.200', 'VIP'],
      ['198.51.100.1', 'Proxy'],
    ],
  );
  assert.equal(table.match(ip('198.51.100.1'), 80, 'TCP')?.ipMode, 'Proxy');
});

test('Frontends: externalIPs of the Service families; an address of a family the Service lacks has no proxier (newBaseServiceInfo)', () => {
  const { table } = tableOf([service('web', { externalIPs: ['192.0.2.50', '2001:db8::50'] })]);
  assert.deepEqual(
    table
      .frontends()
      .filter((f) => f.kind === 'ExternalIP')
      .map((f) => f.ip),
    ['192.0.2.50'],
  );
  assert.equal(table.match(ip('192.0.2.50'), 80, 'TCP')?.kind, 'ExternalIP');
});

test('Frontends: headless and ExternalName Services are not proxied', () => {
  const { table } = tableOf([
    service('headless', { clusterIP: 'None', clusterIPs: ['None'], externalIPs: ['192.0.2.9'] }),
    service('ext', {
      type: 'ExternalName',
      externalName: 'db.example.com',
      clusterIP: undefined,
      clusterIPs: undefined,
    }),
  ]);
  assert.deepEqual(table.frontends(), []);
  assert.equal(table.serviceAt(ip('192.0.2.9')), undefined);
});

test('Frontends: listing order is by namespace/name, then cluster IPs, external IPs, load-balancer IPs, NodePorts', () => {
  const b = service(
    'b',
    { type: 'LoadBalancer', externalIPs: ['192.0.2.1'], ports: [twoPorts[0]] },
    {
      loadBalancer: { ingress: [{ ip: '172.18.255.201', ipMode: 'VIP' }] },
    },
  );
  const a = service('a', { clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30'] });
  const { table } = tableOf([b, a]);
  assert.deepEqual(
    table.frontends().map((f) => `${f.service.name} ${f.kind} ${f.ip ?? '*'}:${f.port}`),
    [
      'a ClusterIP 10.96.0.30:80',
      'b ClusterIP 10.96.0.20:80',
      'b ExternalIP 192.0.2.1:80',
      'b LoadBalancer 172.18.255.201:80',
      'b NodePort *:30080',
    ],
  );
  assert.deepEqual(
    table.frontendsOf('default', 'a').map((f) => f.ip),
    ['10.96.0.30'],
  );
  assert.deepEqual(table.frontendsOf('default', 'missing'), []);
});

test('Frontends: an external IP that is also a node address wins over the NodePort map (service-ips is asked first)', () => {
  const { table } = tableOf([
    ...allNodes(),
    service('np', {
      type: 'NodePort',
      ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }],
    }),
    service('ext', {
      clusterIP: '10.96.0.40',
      clusterIPs: ['10.96.0.40'],
      externalIPs: ['172.18.0.2'],
      ports: [{ name: 'x', protocol: 'TCP', port: 30080 }],
    }),
  ]);
  assert.equal(table.match(ip('172.18.0.2'), 30080, 'TCP')?.service.name, 'ext');
  assert.equal(table.match(ip('172.18.0.3'), 30080, 'TCP')?.service.name, 'np');
});

test('serviceAt: the Service owning a cluster, external or load-balancer address on any port; node addresses belong to none', () => {
  const { table } = tableOf([
    ...allNodes(),
    service(
      'web',
      { type: 'LoadBalancer', externalIPs: ['192.0.2.1'], ports: [twoPorts[0]] },
      {
        loadBalancer: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] },
      },
    ),
  ]);
  assert.deepEqual(table.serviceAt(ip('10.96.0.20')), {
    namespace: 'default',
    name: 'web',
    kind: 'ClusterIP',
  });
  assert.equal(table.serviceAt(ip('192.0.2.1'))?.kind, 'ExternalIP');
  assert.equal(table.serviceAt(ip('172.18.255.200'))?.kind, 'LoadBalancer');
  assert.equal(table.serviceAt(ip('172.18.0.2')), undefined);
});

test('miss: a cluster IP on a port it does not serve is rejected; an unallocated service CIDR address is dropped (cluster-ips-check chain)', () => {
  const { table } = tableOf([service('web', { externalIPs: ['192.0.2.1'] })]);
  assert.equal(table.match(ip('10.96.0.20'), 81, 'TCP'), undefined);
  const wrongPort = table.miss(ip('10.96.0.20'), 81, 'TCP');
  assert.equal(wrongPort?.outcome, 'reject');
  assert.match(
    wrongPort?.reason ?? '',
    /Service default\/web, which does not serve 81\/TCP \(it serves 80\/TCP\)/,
  );
  assert.equal(table.miss(ip('10.96.0.20'), 80, 'UDP')?.outcome, 'reject');
  const unallocated = table.miss(ip('10.96.3.3'), 80, 'TCP');
  assert.equal(unallocated?.outcome, 'drop');
  assert.match(unallocated?.reason ?? '', /service CIDR 10\.96\.0\.0\/16/);
  assert.equal(table.miss(ip('192.0.2.1'), 81, 'TCP'), undefined, 'external IPs are routed on, not rejected');
  assert.equal(table.miss(ip('8.8.8.8'), 53, 'UDP'), undefined);
});

test('Frontends: two Services claiming one external address and port: the first by namespace/name is matched, both are listed', () => {
  const { table } = tableOf([
    service('zeta', { clusterIP: '10.96.0.41', clusterIPs: ['10.96.0.41'], externalIPs: ['192.0.2.1'] }),
    service('alpha', { clusterIP: '10.96.0.42', clusterIPs: ['10.96.0.42'], externalIPs: ['192.0.2.1'] }),
  ]);
  assert.equal(table.match(ip('192.0.2.1'), 80, 'TCP')?.service.name, 'alpha');
  assert.equal(table.frontends().filter((f) => f.kind === 'ExternalIP').length, 2);
});
