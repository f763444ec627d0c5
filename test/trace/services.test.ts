// Connections through kube-proxy's frontends and through hostPorts (src/trace/translate.ts): the
// service hop, the NAT, and the policies on the translated connection. What kube-proxy decides
// is src/services/'s and tested there; these tests check that a trace shows it and that the
// policies see what the data plane delivers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { engine, namespace, pod, policy } from '../netpol/engine-fixtures.js';
import { hop, kinds, service, traceIn } from './fixtures.js';

/** A Running snapshot pod that is also Ready (an EndpointSlice then counts it ready). */
function ready(p: Pod): Pod {
  p.status = {
    ...p.status,
    conditions: [{ type: 'Ready', status: 'True' }],
  };
  return p;
}

const HTTP = [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }];

function cluster(extra: KubeObject[] = []) {
  const selfServed = ready(pod('x/solo', { ips: ['10.244.1.30'], labels: { app: 'solo' }, ports: HTTP }));
  return engine([
    namespace('x'),
    ready(pod('x/web-1', { ips: ['10.244.1.10'], labels: { app: 'web' }, ports: HTTP })),
    ready(
      pod('x/web-2', {
        ips: ['10.244.2.10'],
        node: 'podnet-worker2',
        labels: { app: 'web', side: 'far' },
        ports: HTTP,
      }),
    ),
    ready(pod('x/client', { ips: ['10.244.1.20'], labels: { app: 'client' } })),
    selfServed,
    ready(
      pod('x/hp', {
        ips: ['10.244.1.40'],
        labels: { app: 'hp' },
        ports: [{ name: 'tls', containerPort: 8443, hostPort: 9443, protocol: 'TCP' }],
      }),
    ),
    service('x/web', {
      selector: { app: 'web' },
      clusterIP: '10.96.0.20',
      ports: [{ port: 80, targetPort: 'http' }],
    }),
    service('x/solo', {
      selector: { app: 'solo' },
      clusterIP: '10.96.0.21',
      ports: [{ port: 80, targetPort: 8080 }],
    }),
    service('x/empty', { selector: { app: 'nothing' }, clusterIP: '10.96.0.30' }),
    service('x/np', {
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }],
    }),
    service('x/far', {
      type: 'NodePort',
      selector: { app: 'web', side: 'far' },
      ports: [{ port: 80, targetPort: 'http', nodePort: 30082 }],
    }),
    service('x/local', {
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 'http', nodePort: 30081 }],
    }),
    service('x/ext', {
      selector: { app: 'web' },
      externalIPs: ['198.51.100.50'],
      ports: [{ port: 443, targetPort: 'http' }],
    }),
    ...extra,
  ]);
}

/** The web pods admit the admins' network and the client pod on 8080. */
const ADMINS = policy('x/web-admins', {
  podSelector: { matchLabels: { app: 'web' } },
  ingress: [
    { from: [{ ipBlock: { cidr: '198.51.100.0/24' } }, { podSelector: { matchLabels: { app: 'client' } } }] },
  ],
});

test('Services: a cluster IP is DNATed to an endpoint; policies see the endpoint pod and its port, not the cluster IP (Virtual IPs and Service Proxies)', () => {
  const c = cluster([ADMINS]);
  for (const to of ['10.96.0.20:80', 'svc/x/web:80', 'svc/x/web']) {
    const t = traceIn(c, 'x/client', to);
    assert.deepEqual(kinds(t), ['source', 'service', 'egress-policy', 'ingress-policy', 'delivery'], to);
    const s = hop(t, 'service');
    assert.equal(s.service, 'x/web');
    assert.equal(s.frontend.kind, 'ClusterIP');
    assert.equal(s.outcome, 'forward');
    assert.deepEqual(
      s.candidates.map((e) => [e.pod, e.port, e.weight]),
      [
        ['x/web-1', 8080, 0.5],
        ['x/web-2', 8080, 0.5],
      ],
    );
    assert.ok(s.chosen);
    assert.deepEqual(s.nat, { dnat: { ip: s.chosen.ip, port: 8080 } });
    const ingress = hop(t, 'ingress-policy');
    assert.equal(ingress.endpoint.ip, s.chosen.ip);
    assert.equal(ingress.port, 8080);
    assert.equal(ingress.reason, 'policy-allow');
    assert.deepEqual(ingress.peer, {
      kind: 'pod',
      pod: 'x/client',
      ip: '10.244.1.20',
      node: 'podnet-worker',
    });
    assert.equal(t.verdict, 'delivered');
    assert.deepEqual(t.endpoint, { pod: s.chosen.pod, ip: s.chosen.ip, port: 8080 });
  }
});

test('Services: the pick is the same every run and the same for one client (a stable stand-in for random choice)', () => {
  const c = cluster();
  const chosen = () => hop(traceIn(c, 'x/client', '10.96.0.20:80'), 'service').chosen?.pod;
  assert.equal(chosen(), chosen());
});

test('Services: a Service without endpoints is rejected by kube-proxy: verdict no-endpoints, and nothing after the service hop', () => {
  const t = traceIn(cluster(), 'x/client', 'svc/x/empty:80');
  assert.equal(t.verdict, 'no-endpoints');
  assert.deepEqual(kinds(t), ['source', 'service']);
  assert.equal(hop(t, 'service').outcome, 'reject');
  assert.equal(t.endpoint, undefined);
});

test('Services: a cluster IP on a port it does not serve is rejected, an unallocated service address dropped (kube-proxy nftables)', () => {
  const c = cluster();
  const unserved = traceIn(c, 'x/client', '10.96.0.20:81');
  assert.equal(unserved.verdict, 'no-route');
  assert.deepEqual(hop(unserved, 'service-miss'), {
    kind: 'service-miss',
    ip: '10.96.0.20',
    port: 81,
    protocol: 'TCP',
    service: 'x/web',
    outcome: 'reject',
    reason: hop(unserved, 'service-miss').reason,
  });
  // The svc/ form with a number the Service does not serve goes the same way.
  assert.equal(hop(traceIn(c, 'x/client', 'svc/x/web:81'), 'service-miss').outcome, 'reject');
  const unallocated = traceIn(c, 'x/client', '10.96.7.7:80');
  assert.equal(unallocated.verdict, 'no-route');
  assert.equal(hop(unallocated, 'service-miss').outcome, 'drop');
  assert.equal(hop(unallocated, 'service-miss').service, undefined);
});

test('Services: NodePort with externalTrafficPolicy Cluster masquerades the client, so an ipBlock naming the client does not match, and the trace says so', () => {
  // The only endpoint runs on podnet-worker2; the client hits podnet-worker's address.
  const t = traceIn(cluster([ADMINS]), '198.51.100.7', '172.18.0.3:30082');
  const s = hop(t, 'service');
  assert.equal(s.frontend.kind, 'NodePort');
  assert.equal(s.frontend.node, 'podnet-worker');
  assert.deepEqual(s.nat, {
    dnat: { ip: '10.244.2.10', port: 8080 },
    snat: { to: '172.18.0.3', why: 'masquerade-external-cluster' },
  });
  const ingress = hop(t, 'ingress-policy');
  assert.deepEqual(ingress.peer, { kind: 'node', node: 'podnet-worker', ip: '172.18.0.3' });
  assert.equal(ingress.reason, 'policy-deny');
  assert.deepEqual(ingress.masquerade, {
    client: { kind: 'external', ip: '198.51.100.7' },
    by: 'kube-proxy',
    why: 'masquerade-external-cluster',
    decides: true,
  });
  assert.equal(t.verdict, 'denied');
  // On the endpoint's own node the masqueraded source is that node, which its pods always admit.
  const own = hop(traceIn(cluster([ADMINS]), '198.51.100.7', '172.18.0.4:30082'), 'ingress-policy');
  assert.equal(own.reason, 'own-node');
  assert.equal(own.masquerade?.decides, false);
});

test('Services: an SNAT that does not change the verdict is shown but not said to decide it', () => {
  const open = traceIn(cluster(), '198.51.100.7', '172.18.0.4:30080');
  const ingress = hop(open, 'ingress-policy');
  assert.equal(open.verdict, 'delivered');
  assert.equal(ingress.masquerade?.decides, false);
});

test('Services: externalTrafficPolicy Local keeps the client address (the ipBlock matches) and drops at a node without a local endpoint', () => {
  const c = cluster([ADMINS]);
  const kept = traceIn(c, '198.51.100.7', '172.18.0.4:30081');
  assert.equal(kept.verdict, 'delivered');
  const s = hop(kept, 'service');
  assert.equal(s.nat.snat, undefined);
  assert.equal(s.selection, 'local');
  assert.equal(s.chosen?.pod, 'x/web-2');
  assert.deepEqual(hop(kept, 'ingress-policy').peer, { kind: 'external', ip: '198.51.100.7' });
  assert.equal(hop(kept, 'ingress-policy').masquerade, undefined);
  // The control plane runs no web pod: kube-proxy there drops the packet; the client times out.
  const dropped = traceIn(c, '198.51.100.7', '172.18.0.2:30081');
  assert.equal(dropped.verdict, 'no-route');
  assert.equal(hop(dropped, 'service').outcome, 'drop');
  assert.deepEqual(kinds(dropped), ['source', 'service']);
});

test('Services: an external IP is a frontend on the ports the Service serves; on another port nothing captures it', () => {
  const c = cluster();
  const t = traceIn(c, '203.0.113.9', '198.51.100.50:443');
  assert.equal(hop(t, 'service').frontend.kind, 'ExternalIP');
  assert.equal(t.verdict, 'delivered');
  const other = traceIn(c, 'x/client', '198.51.100.50:80');
  assert.equal(other.verdict, 'no-route');
  assert.equal(hop(other, 'service-miss').outcome, 'drop');
});

test('Services: a pod reaching its own Service and landing on itself is masqueraded to its node (hairpin), which its policies always admit', () => {
  const c = cluster([policy('x/deny-all', { podSelector: {} })]);
  const t = traceIn(c, 'x/solo', 'svc/x/solo:80');
  assert.deepEqual(hop(t, 'service').nat, {
    dnat: { ip: '10.244.1.30', port: 8080 },
    snat: { to: '172.18.0.3', why: 'hairpin' },
  });
  const ingress = hop(t, 'ingress-policy');
  assert.equal(ingress.reason, 'own-node');
  assert.equal(ingress.masquerade?.why, 'hairpin');
  assert.equal(t.verdict, 'delivered');
});

test('hostPort: a node port is DNATed to the pod by the CNI portmap plugin, keeping the client address; a pod reaching itself is masqueraded', () => {
  const c = cluster();
  const t = traceIn(c, '203.0.113.9', '172.18.0.3:9443');
  assert.deepEqual(kinds(t), ['source', 'host-port', 'egress-policy', 'ingress-policy', 'delivery']);
  assert.deepEqual(hop(t, 'host-port'), {
    kind: 'host-port',
    node: 'podnet-worker',
    ip: '172.18.0.3',
    port: 9443,
    protocol: 'TCP',
    pod: 'x/hp',
    container: 'main',
    nat: { dnat: { ip: '10.244.1.40', port: 8443 } },
  });
  assert.deepEqual(hop(t, 'ingress-policy').peer, { kind: 'external', ip: '203.0.113.9' });
  assert.equal(hop(t, 'delivery').portName, 'tls');
  // Only the node the pod runs on forwards the port.
  assert.deepEqual(kinds(traceIn(c, '203.0.113.9', '172.18.0.4:9443')), [
    'source',
    'egress-policy',
    'ingress-policy',
    'delivery',
  ]);
  const hairpin = traceIn(c, 'x/hp', 'node/podnet-worker:9443');
  assert.deepEqual(hop(hairpin, 'host-port').nat.snat, { to: '172.18.0.3', why: 'hairpin' });
  assert.equal(hop(hairpin, 'ingress-policy').masquerade?.by, 'portmap');
});
