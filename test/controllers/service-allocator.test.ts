import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig, dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { Service } from '../../src/api/types.js';
import { parseIPRange } from '../../src/ip/index.js';
import type { Store } from '../../src/store/store.js';
import { converge, port, rerunWrites, service, snapshot, storeWith } from './endpointslice-fixtures.js';

function svc(store: Store, name: string, ns = 'default'): Service {
  const s = store.get('Service', ns, name);
  assert.ok(s, `Service ${ns}/${name} should exist`);
  return s;
}

function ipOffset(ip: string): number {
  const [a, b, c, d] = ip.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) - ((10 << 24) | (96 << 16)) - 1;
}

const errors = (d: { severity: string; message: string }[]) =>
  d.filter((x) => x.severity === 'error').map((x) => x.message);
const warnings = (d: { severity: string; message: string }[]) =>
  d.filter((x) => x.severity === 'warning').map((x) => x.message);

test('ClusterIP: dynamic addresses come from the upper band first (KEP-3070: 10.96.0.0/16 reserves its first 256 addresses for static allocation)', () => {
  const store = storeWith(Array.from({ length: 40 }, (_, i) => service(`s${i}`)));
  const { diagnostics } = converge(store);
  assert.deepEqual(errors(diagnostics), []);
  const ips = store.list('Service').map((s) => s.spec.clusterIP as string);
  assert.equal(new Set(ips).size, 40);
  for (const ip of ips) {
    assert.match(ip, /^10\.96\.\d+\.\d+$/);
    assert.ok(ipOffset(ip) >= 256 && ipOffset(ip) < 65534, `${ip} is outside the dynamic band`);
  }
});

test('ClusterIP: dynamic allocation is deterministic and stable under unrelated Services (hash-seeded start, linear probe)', () => {
  const a = storeWith([service('web'), service('db')]);
  converge(a);
  const b = storeWith([
    service('zzz', {}, { namespace: 'other' }),
    service('db'),
    service('aaa'),
    service('web'),
  ]);
  converge(b);
  assert.equal(svc(a, 'web').spec.clusterIP, svc(b, 'web').spec.clusterIP);
  assert.equal(svc(a, 'db').spec.clusterIP, svc(b, 'db').spec.clusterIP);
  const c = storeWith([service('web'), service('db')]);
  converge(c);
  assert.equal(snapshot(a), snapshot(c));
});

test('ClusterIP: a requested address is honoured; a second request for it is refused (registry: "provided IP is already allocated")', () => {
  const store = storeWith([
    service('first', { clusterIP: '10.96.0.5' }),
    service('second', { clusterIP: '10.96.0.5' }),
  ]);
  const { diagnostics } = converge(store);
  assert.equal(svc(store, 'first').spec.clusterIP, '10.96.0.5');
  assert.equal(
    store.get('Service', 'default', 'second'),
    undefined,
    'the refused Service is not part of the cluster',
  );
  assert.deepEqual(errors(diagnostics), [
    'spec.clusterIPs: Invalid value: ["10.96.0.5"]: failed to allocate IP 10.96.0.5: provided IP is already allocated',
  ]);
});

test('ClusterIP: requested addresses are reserved before any dynamic allocation, and kubernetes/kube-dns keep .1 and .10 (the apiserver creates them first)', () => {
  const store = storeWith([
    service('mine', { clusterIP: '10.96.0.10' }),
    service(
      'kube-dns',
      { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' } },
      { namespace: 'kube-system' },
    ),
    service('kubernetes', {
      clusterIP: '10.96.0.1',
      selector: undefined,
      ports: [port(443, { name: 'https', targetPort: 6443 })],
    }),
  ]);
  const { diagnostics } = converge(store);
  assert.equal(svc(store, 'kube-dns', 'kube-system').spec.clusterIP, '10.96.0.10');
  assert.equal(svc(store, 'kubernetes').spec.clusterIP, '10.96.0.1');
  assert.equal(store.get('Service', 'default', 'mine'), undefined);
  assert.equal(errors(diagnostics).length, 1);
});

test('ClusterIP: the network address is not allocatable (ipallocator excludes it, and the IPv4 broadcast address)', () => {
  const store = storeWith([
    service('a', { clusterIP: '10.96.0.0' }),
    service('b', { clusterIP: '10.96.255.255' }),
  ]);
  const { diagnostics } = converge(store);
  assert.deepEqual(errors(diagnostics), [
    'spec.clusterIPs: Invalid value: ["10.96.0.0"]: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    'spec.clusterIPs: Invalid value: ["10.96.255.255"]: failed to allocate IP 10.96.255.255: the provided IP (10.96.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
  ]);
});

test('ClusterIP: headless and ExternalName Services get no address (registry allocClusterIPs)', () => {
  const store = storeWith([
    service('headless', { clusterIP: 'None' }),
    service('ext', {
      type: 'ExternalName',
      externalName: 'example.com',
      selector: undefined,
      ports: undefined,
    }),
  ]);
  converge(store);
  const h = svc(store, 'headless').spec;
  assert.deepEqual(
    [h.clusterIP, h.clusterIPs, h.ipFamilies, h.ipFamilyPolicy],
    ['None', ['None'], ['IPv4'], 'SingleStack'],
  );
  const e = svc(store, 'ext').spec;
  assert.deepEqual(
    [e.clusterIP, e.clusterIPs, e.ipFamilies, e.ipFamilyPolicy],
    [undefined, undefined, undefined, undefined],
  );
  assert.deepEqual(svc(store, 'ext').status, { loadBalancer: {} });
});

test('Dual stack: headless Services without a selector default to RequireDualStack with both families, even on a single-stack cluster (initIPFamilyFields)', () => {
  const store = storeWith([service('manual', { clusterIP: 'None', selector: undefined })]);
  converge(store);
  const s = svc(store, 'manual').spec;
  assert.equal(s.ipFamilyPolicy, 'RequireDualStack');
  assert.deepEqual(s.ipFamilies, ['IPv4', 'IPv6']);
});

test('Dual stack: family fields by ipFamilyPolicy (Services page "IPv4/IPv6 dual-stack")', () => {
  const cases: {
    name: string;
    spec: Partial<Service['spec']>;
    dual: boolean;
    families: string[];
    ips: number;
  }[] = [
    { name: 'default-single', spec: {}, dual: true, families: ['IPv4'], ips: 1 },
    {
      name: 'prefer-on-dual',
      spec: { ipFamilyPolicy: 'PreferDualStack' },
      dual: true,
      families: ['IPv4', 'IPv6'],
      ips: 2,
    },
    {
      name: 'prefer-on-single',
      spec: { ipFamilyPolicy: 'PreferDualStack' },
      dual: false,
      families: ['IPv4'],
      ips: 1,
    },
    {
      name: 'require-on-dual',
      spec: { ipFamilyPolicy: 'RequireDualStack' },
      dual: true,
      families: ['IPv4', 'IPv6'],
      ips: 2,
    },
    {
      name: 'v6-first',
      spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6'] },
      dual: true,
      families: ['IPv6', 'IPv4'],
      ips: 2,
    },
    { name: 'v6-only', spec: { ipFamilies: ['IPv6'] }, dual: true, families: ['IPv6'], ips: 1 },
    { name: 'from-clusterip', spec: { clusterIP: 'fd00:10:96::50' }, dual: true, families: ['IPv6'], ips: 1 },
    {
      name: 'headless-prefer',
      spec: { clusterIP: 'None', ipFamilyPolicy: 'PreferDualStack' },
      dual: true,
      families: ['IPv4', 'IPv6'],
      ips: 0,
    },
  ];
  for (const c of cases) {
    const store = storeWith([service(c.name, c.spec)]);
    const { diagnostics } = converge(store, c.dual ? dualStackClusterConfig() : defaultClusterConfig());
    assert.deepEqual(errors(diagnostics), [], c.name);
    const s = svc(store, c.name).spec;
    assert.deepEqual(s.ipFamilies, c.families, c.name);
    const ips = (s.clusterIPs ?? []).filter((ip) => ip !== 'None');
    assert.equal(ips.length, c.ips, c.name);
    ips.forEach((ip, i) => {
      assert.equal(ip.includes(':'), c.families[i] === 'IPv6', `${c.name}: ${ip}`);
    });
    assert.equal(s.clusterIP, (s.clusterIPs ?? [])[0], c.name);
  }
});

test('Dual stack: RequireDualStack on a single-stack cluster is refused ("this cluster is not configured for dual-stack services")', () => {
  const store = storeWith([service('web', { ipFamilyPolicy: 'RequireDualStack' })]);
  const { diagnostics } = converge(store);
  assert.deepEqual(errors(diagnostics), [
    'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
  ]);
  assert.equal(store.get('Service', 'default', 'web'), undefined);
});

test('NodePort: one node port per Service port, from the upper band of 30000-32767 first (KEP-3668: the first 86 ports are the static band)', () => {
  const store = storeWith(
    Array.from({ length: 20 }, (_, i) =>
      service(`np${i}`, {
        type: 'NodePort',
        ports: [port(80, { name: 'http' }), port(443, { name: 'https' })],
      }),
    ),
  );
  converge(store);
  const all = store.list('Service').flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort as number));
  assert.equal(new Set(all).size, 40);
  for (const np of all) assert.ok(np >= 30086 && np <= 32767, `${np} is outside the dynamic band`);
});

test('NodePort: a requested node port is honoured; a conflict is refused ("provided port is already allocated")', () => {
  const store = storeWith([
    service('a', { type: 'NodePort', ports: [port(80, { nodePort: 30080 })] }),
    service('b', { type: 'NodePort', ports: [port(80, { nodePort: 30080 })] }),
  ]);
  const { diagnostics } = converge(store);
  assert.equal(svc(store, 'a').spec.ports?.[0].nodePort, 30080);
  assert.deepEqual(errors(diagnostics), [
    'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
  ]);
});

test('NodePort: ports of one number and different protocols share one node port (registry initNodePorts)', () => {
  const dns = [port(53, { name: 'dns', protocol: 'UDP' }), port(53, { name: 'dns-tcp', protocol: 'TCP' })];
  const store = storeWith([
    service('dyn', { type: 'NodePort', ports: dns }),
    service('req', { type: 'NodePort', ports: [dns[0], { ...dns[1], nodePort: 30053 }] }),
  ]);
  const { diagnostics } = converge(store);
  assert.deepEqual(errors(diagnostics), []);
  const dyn = svc(store, 'dyn').spec.ports ?? [];
  assert.equal(dyn[0].nodePort, dyn[1].nodePort);
  assert.deepEqual(
    svc(store, 'req').spec.ports?.map((p) => p.nodePort),
    [30053, 30053],
  );
});

test('NodePort: allocateLoadBalancerNodePorts: false allocates none but honours requested ones; healthCheckNodePort only for LoadBalancer with externalTrafficPolicy Local', () => {
  const store = storeWith([
    service('nolb', {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      ports: [port(80, { name: 'a' }), port(81, { name: 'b', nodePort: 31081 })],
    }),
    service('local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    service('local-req', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
    }),
    service('np-local', { type: 'NodePort', externalTrafficPolicy: 'Local' }),
  ]);
  const { diagnostics } = converge(store);
  assert.deepEqual(errors(diagnostics), []);
  assert.deepEqual(
    svc(store, 'nolb').spec.ports?.map((p) => p.nodePort),
    [undefined, 31081],
  );
  const hc = svc(store, 'local').spec.healthCheckNodePort as number;
  assert.ok(hc >= 30000 && hc <= 32767 && hc !== svc(store, 'local').spec.ports?.[0].nodePort);
  assert.equal(svc(store, 'local-req').spec.healthCheckNodePort, 32000);
  assert.equal(svc(store, 'np-local').spec.healthCheckNodePort, undefined);
});

test('LoadBalancer: addresses from the pool in namespace/name order, first free, ipMode VIP (as MetalLB / cloud-provider-kind assign)', () => {
  const store = storeWith([
    service('b', { type: 'LoadBalancer' }),
    service('a', { type: 'LoadBalancer' }),
    service('c', { type: 'LoadBalancer' }, { namespace: 'x' }),
  ]);
  converge(store);
  assert.deepEqual(svc(store, 'a').status?.loadBalancer, {
    ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }],
  });
  assert.deepEqual(svc(store, 'b').status?.loadBalancer?.ingress?.[0].ip, '172.18.255.201');
  assert.deepEqual(svc(store, 'c', 'x').status?.loadBalancer?.ingress?.[0].ip, '172.18.255.202');
});

test('LoadBalancer: an existing status and spec.loadBalancerIP are honoured; an address outside the pool stays <pending> with a warning', () => {
  const existing = service('snap', { type: 'LoadBalancer' });
  existing.status = { loadBalancer: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] } };
  const store = storeWith([
    existing,
    service('asks', { type: 'LoadBalancer', loadBalancerIP: '172.18.255.210' }),
    service('outside', { type: 'LoadBalancer', loadBalancerIP: '192.0.2.1' }),
    service('any', { type: 'LoadBalancer' }),
  ]);
  const { diagnostics } = converge(store);
  assert.equal(svc(store, 'snap').status?.loadBalancer?.ingress?.[0].ip, '172.18.255.200');
  assert.equal(svc(store, 'asks').status?.loadBalancer?.ingress?.[0].ip, '172.18.255.210');
  assert.equal(svc(store, 'any').status?.loadBalancer?.ingress?.[0].ip, '172.18.255.201');
  assert.deepEqual(svc(store, 'outside').status?.loadBalancer, {});
  assert.deepEqual(warnings(diagnostics), [
    'status.loadBalancer: no address assigned (<pending>): spec.loadBalancerIP 192.0.2.1 is not in the load balancer pool',
  ]);
});

test('LoadBalancer: an exhausted pool leaves Services <pending>; another loadBalancerClass is not ours', () => {
  const config = defaultClusterConfig();
  config.loadBalancerPool = [
    parseIPRange('172.18.255.200-172.18.255.200') as NonNullable<ReturnType<typeof parseIPRange>>,
  ];
  const store = storeWith([
    service('a', { type: 'LoadBalancer' }),
    service('b', { type: 'LoadBalancer' }),
    service('cloud', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' }),
  ]);
  const { diagnostics } = converge(store, config);
  assert.equal(svc(store, 'a').status?.loadBalancer?.ingress?.[0].ip, '172.18.255.200');
  assert.deepEqual(svc(store, 'b').status?.loadBalancer, {});
  assert.deepEqual(svc(store, 'cloud').status?.loadBalancer, {});
  assert.equal(warnings(diagnostics).length, 2);
});

test('LoadBalancer: a dual-stack Service gets one address per family the pool serves', () => {
  const config = dualStackClusterConfig();
  config.loadBalancerPool.push(
    parseIPRange('fc00:f853:ccd:e793::100-fc00:f853:ccd:e793::1ff') as NonNullable<
      ReturnType<typeof parseIPRange>
    >,
  );
  const store = storeWith([service('lb', { type: 'LoadBalancer', ipFamilyPolicy: 'PreferDualStack' })]);
  converge(store, config);
  assert.deepEqual(svc(store, 'lb').status?.loadBalancer?.ingress, [
    { ip: '172.18.255.200', ipMode: 'VIP' },
    { ip: 'fc00:f853:ccd:e793::100', ipMode: 'VIP' },
  ]);
});

test('Allocator: a second pass writes nothing, and two runs are byte-identical', () => {
  const objects = [
    service('web', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }),
    service('np', { type: 'NodePort' }),
    service('h', { clusterIP: 'None' }),
  ];
  const a = storeWith(objects);
  const { passes } = converge(a);
  assert.equal(passes, 2, 'the first pass allocates, the second finds nothing to do');
  assert.equal(rerunWrites(a), 0);
  const b = storeWith(objects);
  converge(b);
  assert.equal(snapshot(a), snapshot(b));
});
