import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoint, KubeObject, Service } from '../../src/api/types.js';
import { chooseEndpoint } from '../../src/services/affinity.js';
import { routeService } from '../../src/services/route.js';
import type { ServiceClient, ServiceRoute } from '../../src/services/types.js';
import {
  allNodes,
  ep,
  externalClient,
  frontendAt,
  nodeClient,
  notReady,
  podClient,
  service,
  slice,
  tableOf,
  terminating,
} from './fixtures.js';

const HTTP = { name: 'http', protocol: 'TCP' as const, port: 80, targetPort: 'http', nodePort: 30080 };
const LB_STATUS = { loadBalancer: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' as const }] } };

/** One endpoint per node: 10.244.1.2 on n1, 10.244.2.2 on n2, 10.244.3.2 on n3. */
const spread = (): Endpoint[] => [ep('10.244.1.2', 'n1'), ep('10.244.2.2', 'n2'), ep('10.244.3.2', 'n3')];

function world(
  spec: Partial<Service['spec']>,
  endpoints: Endpoint[],
  extra: KubeObject[] = [],
  status?: Service['status'],
) {
  const svc = service('web', { ports: [HTTP], ...spec }, status);
  return tableOf([...allNodes(), svc, slice('web-1', 'web', endpoints), ...extra]);
}

function route(w: ReturnType<typeof world>, client: ServiceClient, address: string, port = 80): ServiceRoute {
  return routeService(w.table, w.store, client, frontendAt(w.table, address, port));
}

const ips = (r: ServiceRoute) => r.candidates.map((c) => c.ip);

test('Route: a ClusterIP forwards to every ready endpoint with equal weight, no NAT but the DNAT to the chosen one (numgen random mod N)', () => {
  const w = world({}, spread());
  const client = podClient('10.244.1.50', 'n1');
  const r = route(w, client, '10.96.0.20');
  assert.equal(r.outcome, 'forward');
  assert.equal(r.selection, 'ready');
  assert.deepEqual(ips(r), ['10.244.1.2', '10.244.2.2', '10.244.3.2']);
  for (const c of r.candidates) assert.equal(c.weight, 1 / 3);
  const chosen = chooseEndpoint(r, client);
  assert.deepEqual(r.nat, { dnat: { ip: chosen?.ip, port: 8080 } });
  assert.equal(r.source, '10.244.1.50');
  assert.deepEqual(r.policy, { field: 'internalTrafficPolicy', value: 'Cluster' });
  assert.equal(r.node, 'n1');
  assert.match(r.reason, /3 ready endpoints, each picked with probability 1\/3/);
});

test('Route: endpoints that are not ready are excluded; serving-terminating ones too while any endpoint is ready (CategorizeEndpoints)', () => {
  const w = world({}, [
    ep('10.244.1.2', 'n1'),
    ep('10.244.2.2', 'n2', terminating),
    ep('10.244.3.2', 'n3', notReady),
  ]);
  const r = route(w, podClient('10.244.1.50', 'n1'), '10.96.0.20');
  assert.deepEqual(ips(r), ['10.244.1.2']);
  assert.deepEqual(
    r.excluded.map((e) => [e.endpoint.ip, e.why, e.endpoint.weight]),
    [
      ['10.244.2.2', 'terminating', 0],
      ['10.244.3.2', 'not-serving', 0],
    ],
  );
});

test('Route: with no ready endpoint anywhere, serving-and-terminating endpoints are used (kube-proxy fallback)', () => {
  const w = world({}, [ep('10.244.2.2', 'n2', terminating), ep('10.244.3.2', 'n3', notReady)]);
  const r = route(w, podClient('10.244.1.50', 'n1'), '10.96.0.20');
  assert.equal(r.outcome, 'forward');
  assert.equal(r.selection, 'serving-terminating');
  assert.deepEqual(ips(r), ['10.244.2.2']);
  assert.deepEqual(r.candidates[0].terminating, true);
  assert.match(r.reason, /no endpoint is ready, so kube-proxy falls back to 1 serving, terminating endpoint/);
});

test('Route: no usable endpoint at all is rejected, on every frontend (no-endpoint-services map: goto reject-chain)', () => {
  const cases: [string, Endpoint[], RegExp][] = [
    ['no endpoints', [], /has no IPv4 endpoint for port http\/TCP/],
    [
      'none serving',
      [ep('10.244.3.2', 'n3', notReady)],
      /none of the 1 endpoint of Service default\/web for port http\/TCP is ready or serving/,
    ],
  ];
  for (const [name, endpoints, reason] of cases) {
    const w = world(
      { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 },
      endpoints,
      [],
      LB_STATUS,
    );
    for (const [client, address, port] of [
      [podClient('10.244.1.50', 'n1'), '10.96.0.20', 80],
      [externalClient('n1'), '172.18.0.2', 30080],
      [externalClient('n1'), '172.18.255.200', 80],
    ] as const) {
      const r = route(w, client, address, port);
      assert.equal(r.outcome, 'reject', `${name} via ${address}`);
      assert.deepEqual(r.candidates, []);
      assert.match(r.reason, reason);
      assert.match(r.reason, /kube-proxy rejects the connection \(ICMP port unreachable/);
    }
  }
});

test('Route: internalTrafficPolicy Local keeps a pod on its own node’s endpoints; none there: dropped, even with endpoints elsewhere', () => {
  const w = world({ internalTrafficPolicy: 'Local' }, [ep('10.244.1.2', 'n1'), ep('10.244.2.2', 'n2')]);
  const here = route(w, podClient('10.244.1.50', 'n1'), '10.96.0.20');
  assert.deepEqual([here.outcome, here.selection, ips(here)], ['forward', 'local', ['10.244.1.2']]);
  assert.deepEqual(
    here.excluded.map((e) => [e.endpoint.ip, e.why]),
    [['10.244.2.2', 'not-local']],
  );
  const away = route(w, podClient('10.244.3.50', 'n3'), '10.96.0.20');
  assert.equal(away.outcome, 'drop');
  assert.deepEqual(away.candidates, []);
  assert.match(
    away.reason,
    /internalTrafficPolicy is Local and Service default\/web has no usable endpoint on node n3 \(2 on other nodes\): kube-proxy drops the packet/,
  );
});

test('Route: under a Local policy the serving-terminating fallback is per node (independent of the cluster-wide endpoints)', () => {
  const w = world({ internalTrafficPolicy: 'Local' }, [
    ep('10.244.1.2', 'n1', terminating),
    ep('10.244.2.2', 'n2'),
  ]);
  const r = route(w, podClient('10.244.1.50', 'n1'), '10.96.0.20');
  assert.deepEqual([r.selection, ips(r)], ['local-serving-terminating', ['10.244.1.2']]);
});

test('Route: externalTrafficPolicy Cluster sends NodePort traffic to any endpoint and masquerades it to the node address, hiding the client from policies', () => {
  const w = world({ type: 'NodePort', externalTrafficPolicy: 'Cluster' }, spread());
  const r = route(w, externalClient(), '172.18.0.2', 30080);
  assert.equal(r.node, 'n1', 'the node whose address was hit');
  assert.deepEqual(ips(r), ['10.244.1.2', '10.244.2.2', '10.244.3.2']);
  assert.deepEqual(r.nat.snat, { to: '172.18.0.2', why: 'masquerade-external-cluster' });
  assert.equal(r.source, '172.18.0.2');
  assert.match(
    r.reason,
    /source NAT to node n1's address 172\.18\.0\.2 \(externalTrafficPolicy Cluster\): the endpoint, and NetworkPolicies there, see 172\.18\.0\.2, not the client's 203\.0\.113\.10/,
  );
});

test('Route: externalTrafficPolicy Local keeps external traffic on the receiving node and preserves the client address', () => {
  const w = world(
    { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 },
    spread(),
    [],
    LB_STATUS,
  );
  const r = route(w, externalClient('n2'), '172.18.255.200');
  assert.deepEqual([r.outcome, r.selection, ips(r)], ['forward', 'local', ['10.244.2.2']]);
  assert.equal(r.nat.snat, undefined);
  assert.equal(r.source, '203.0.113.10');
  assert.equal(r.healthCheckNodePort, 32000);
  assert.deepEqual(r.policy, { field: 'externalTrafficPolicy', value: 'Local' });
  assert.match(r.reason, /the client address 203\.0\.113\.10 is preserved \(externalTrafficPolicy Local\)/);
});

test('Route: externalTrafficPolicy Local on a node without an endpoint drops the packet; load balancers avoid it by healthCheckNodePort', () => {
  const w = world(
    { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 },
    [ep('10.244.1.2', 'n1')],
    [],
    LB_STATUS,
  );
  const r = route(w, externalClient(), '172.18.0.4', 30080);
  assert.equal(r.outcome, 'drop');
  assert.equal(r.node, 'n3');
  assert.match(
    r.reason,
    /externalTrafficPolicy is Local and node n3 has no usable endpoint of Service default\/web \(1 on other nodes\): kube-proxy drops the packet/,
  );
  const viaLB = route(w, externalClient('n3'), '172.18.255.200');
  assert.match(viaLB.reason, /load balancers probe healthCheckNodePort 32000/);
});

test('Route: an outside client with no receiving node given reaches a node with a local endpoint under the Local policy (the health check steers it)', () => {
  const w = world(
    { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 },
    [ep('10.244.3.2', 'n3')],
    [],
    LB_STATUS,
  );
  const r = route(w, externalClient(), '172.18.255.200');
  assert.deepEqual([r.outcome, r.node, ips(r)], ['forward', 'n3', ['10.244.3.2']]);
  assert.match(r.reason, /taken to arrive at node n3 \(not given: podnet takes a node with a local endpoint/);
});

test('Route: pods reaching an external address of a Local Service are short-circuited to all endpoints, unmasqueraded ("short-circuit pod traffic")', () => {
  const w = world(
    { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 },
    spread(),
    [],
    LB_STATUS,
  );
  const r = route(w, podClient('10.244.3.50', 'n3'), '172.18.255.200');
  assert.deepEqual(r.policy, { field: 'externalTrafficPolicy', value: 'Local', shortCircuit: 'pod' });
  assert.equal(r.node, 'n3');
  assert.deepEqual(ips(r), ['10.244.1.2', '10.244.2.2', '10.244.3.2']);
  assert.equal(r.nat.snat, undefined);
  assert.equal(r.source, '10.244.3.50');
});

test('Route: a node\'s own traffic to a Local Service\'s NodePort goes to all endpoints, masqueraded ("masquerade local traffic")', () => {
  const w = world({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [ep('10.244.2.2', 'n2')]);
  const r = route(w, nodeClient('n1'), '172.18.0.2', 30080);
  assert.deepEqual([r.outcome, r.policy.shortCircuit, ips(r)], ['forward', 'node', ['10.244.2.2']]);
  assert.deepEqual(r.nat.snat, { to: '172.18.0.2', why: 'masquerade-node-local' });
});

test("Route: another node's NodePort is handled there, where the caller's node address is an outside source (the Local policy applies)", () => {
  const w = world({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [ep('10.244.2.2', 'n2')]);
  const r = route(w, nodeClient('n1'), '172.18.0.4', 30080);
  assert.deepEqual([r.node, r.outcome], ['n3', 'drop']);
  const there = route(w, nodeClient('n1'), '172.18.0.3', 30080);
  assert.deepEqual([there.node, there.outcome, there.source], ['n2', 'forward', '172.18.0.2']);
});

test("Route: a pod reaching a NodePort on another node's address is handled on that node, as pod traffic", () => {
  const w = world({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [ep('10.244.1.2', 'n1')]);
  const r = route(w, podClient('10.244.3.50', 'n3'), '172.18.0.2', 30080);
  assert.deepEqual([r.node, r.policy.shortCircuit, r.outcome], ['n1', 'pod', 'forward']);
});

test('Route: a pod reaching its own Service and landing on itself is masqueraded (hairpin: "ip saddr <endpoint> jump mark-for-masquerade")', () => {
  const w = world({}, [ep('10.244.1.2', 'n1')]);
  const r = route(w, podClient('10.244.1.2', 'n1'), '10.96.0.20');
  assert.deepEqual(r.nat, {
    dnat: { ip: '10.244.1.2', port: 8080 },
    snat: { to: '172.18.0.2', why: 'hairpin' },
  });
  assert.equal(r.source, '172.18.0.2');
  assert.match(
    r.reason,
    /the chosen endpoint is the client itself: kube-proxy masquerades this hairpin connection/,
  );
});

test('Route: traffic to a cluster IP from outside the pod network (a node) is masqueraded (detect-local-mode ClusterCIDR)', () => {
  const w = world({}, [ep('10.244.2.2', 'n2')]);
  const r = route(w, nodeClient('n1'), '10.96.0.20');
  assert.deepEqual(r.nat.snat, { to: '172.18.0.2', why: 'off-cluster-source' });
  const fromPod = route(w, podClient('10.244.1.50', 'n1'), '10.96.0.20');
  assert.equal(fromPod.nat.snat, undefined);
});

test('Route: loadBalancerSourceRanges drop other sources at the load-balancer address, not at NodePorts (firewall-check)', () => {
  const w = world(
    {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      loadBalancerSourceRanges: [' 198.51.100.0/24 ', '2001:db8::/64'],
    },
    spread(),
    [],
    LB_STATUS,
  );
  const denied = route(w, externalClient('n1'), '172.18.255.200');
  assert.equal(denied.outcome, 'drop');
  assert.match(
    denied.reason,
    /outside the loadBalancerSourceRanges of Service default\/web \(198\.51\.100\.0\/24, 2001:db8::\/64\)/,
  );
  const allowed = route(
    w,
    { kind: 'external', ip: { family: 'IPv4', value: 0xc6336405n }, node: 'n1' },
    '172.18.255.200',
  );
  assert.equal(allowed.outcome, 'forward');
  assert.equal(route(w, externalClient('n1'), '172.18.0.2', 30080).outcome, 'forward');
});

test('Route: an ipMode Proxy load balancer relays from its own address: no short-circuit, and the endpoint sees the balancer (or the node under Cluster)', () => {
  const status = { loadBalancer: { ingress: [{ ip: '198.51.100.1', ipMode: 'Proxy' as const }] } };
  const local = world(
    { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32000 },
    spread(),
    [],
    status,
  );
  const r = route(local, podClient('10.244.1.50', 'n1'), '198.51.100.1');
  assert.equal(r.policy.shortCircuit, undefined);
  assert.equal(r.proxiedBy, '198.51.100.1');
  assert.deepEqual(r.nat.snat, { to: '198.51.100.1', why: 'load-balancer-proxy' });
  assert.match(r.reason, /ipMode Proxy\) relays the connection from its own address/);
  const cluster = world({ type: 'LoadBalancer', externalTrafficPolicy: 'Cluster' }, spread(), [], status);
  const c = route(cluster, externalClient('n2'), '198.51.100.1');
  assert.deepEqual(c.nat.snat, { to: '172.18.0.3', why: 'masquerade-external-cluster' });
  assert.match(c.reason, /not the client's 198\.51\.100\.1/);
});

test('Route: sessionAffinity ClientIP is reported with its timeout; None reports nothing', () => {
  const sticky = world(
    { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } } },
    spread(),
  );
  const r = route(sticky, podClient('10.244.1.50', 'n1'), '10.96.0.20');
  assert.deepEqual(r.sessionAffinity, { type: 'ClientIP', timeoutSeconds: 600 });
  assert.match(r.reason, /sessionAffinity ClientIP keeps a client on the endpoint it first got/);
  assert.equal(
    route(world({}, spread()), podClient('10.244.1.50', 'n1'), '10.96.0.20').sessionAffinity,
    undefined,
  );
});

test('Route: a dual-stack Service routes each family’s frontend to that family’s endpoints', () => {
  const svc = service('web', {
    type: 'NodePort',
    externalTrafficPolicy: 'Cluster',
    ports: [HTTP],
    clusterIPs: ['10.96.0.20', 'fd00:10:96::20'],
    ipFamilies: ['IPv4', 'IPv6'],
    ipFamilyPolicy: 'RequireDualStack',
  });
  const w = tableOf([
    ...allNodes(),
    svc,
    slice('web-v4', 'web', [ep('10.244.1.2', 'n1')]),
    slice('web-v6', 'web', [ep('fd00:10:244:1::2', 'n1')], 8080, { addressType: 'IPv6' }),
  ]);
  const client = {
    kind: 'pod' as const,
    ip: { family: 'IPv6' as const, value: 0xfd000010024400010000000000000050n },
    node: 'n1',
  };
  const r = routeService(w.table, w.store, client, frontendAt(w.table, 'fd00:10:96::20', 80));
  assert.deepEqual(ips(r), ['fd00:10:244:1::2']);
  const outside = {
    kind: 'external' as const,
    ip: { family: 'IPv6' as const, value: 0x20010db8000000000000000000000010n },
  };
  const np = routeService(w.table, w.store, outside, frontendAt(w.table, 'fc00:f853:ccd:e793::2', 30080));
  assert.deepEqual(ips(np), ['fd00:10:244:1::2']);
  assert.deepEqual(np.nat.snat, { to: 'fc00:f853:ccd:e793::2', why: 'masquerade-external-cluster' });
});

test('Route: a frontend whose Service port is gone is rejected with the reason', () => {
  const w = world({}, spread());
  const f = { ...frontendAt(w.table, '10.96.0.20', 80), servicePort: 'gone' };
  const r = routeService(w.table, w.store, podClient('10.244.1.50', 'n1'), f);
  assert.equal(r.outcome, 'reject');
  assert.match(r.reason, /Service default\/web has no port gone\/TCP/);
});
