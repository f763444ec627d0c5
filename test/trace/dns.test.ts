// The dns hop (src/trace/dns.ts): a pod's glibc resolver walks its resolv.conf search list
// against the cluster zone (the same walk as `podnet dns --from`), nodes and outside clients ask
// absolute names, and the lookup's failures become the nxdomain and refused verdicts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject } from '../../src/api/types.js';
import { engine, namespace, pod } from '../netpol/engine-fixtures.js';
import { hop, kinds, service, traceIn } from './fixtures.js';

const HTTP = [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }];

function objects(): KubeObject[] {
  return [
    namespace('x'),
    namespace('y'),
    pod('x/client'),
    pod('y/other'),
    pod('x/web-1', { labels: { app: 'web' }, ports: HTTP }),
    pod('x/agent', { hostNetwork: true, node: 'podnet-worker' }),
    service('x/web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }),
    service('x/headless', {
      clusterIP: 'None',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 'http' }],
    }),
    service('x/db', { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 5432 }] }),
  ];
}

const C = engine(objects());
const clusterIP = C.store.get('Service', 'x', 'web')?.spec.clusterIP as string;

test('DNS: a pod resolves a short Service name with its search list (namespace first) and connects to the cluster IP (DNS for Services and Pods)', () => {
  const t = traceIn(C, 'x/client', 'web:80');
  assert.deepEqual(kinds(t), ['source', 'dns', 'service', 'egress-policy', 'ingress-policy', 'delivery']);
  const dns = hop(t, 'dns');
  assert.deepEqual(dns.question, { name: 'web', type: 'A' });
  assert.deepEqual(dns.resolver, {
    pod: 'x/client',
    searches: ['x.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
    ndots: 5,
  });
  assert.deepEqual(dns.searched, [{ name: 'web.x.svc.cluster.local.', rcode: 'NOERROR' }]);
  assert.deepEqual(dns.answers, [{ name: 'web.x.svc.cluster.local.', type: 'A', ttl: 30, data: clusterIP }]);
  assert.equal(dns.address, clusterIP);
  assert.equal(hop(t, 'service').frontend.ip, clusterIP);
  assert.equal(t.verdict, 'delivered');
});

test('DNS: names with fewer dots than ndots:5 walk the whole search list before being asked as written', () => {
  const searched = (to: string) =>
    hop(traceIn(C, 'x/client', to), 'dns').searched.map((s) => `${s.name} ${s.rcode}`);
  assert.deepEqual(searched('web.x:80'), [
    'web.x.x.svc.cluster.local. NXDOMAIN',
    'web.x.svc.cluster.local. NOERROR',
  ]);
  assert.deepEqual(searched('web.x.svc.cluster.local:80'), [
    'web.x.svc.cluster.local.x.svc.cluster.local. NXDOMAIN',
    'web.x.svc.cluster.local.svc.cluster.local. NXDOMAIN',
    'web.x.svc.cluster.local.cluster.local. NXDOMAIN',
    'web.x.svc.cluster.local. NOERROR',
  ]);
  // A trailing dot makes the name absolute: one query.
  assert.deepEqual(searched('web.x.svc.cluster.local.:80'), ['web.x.svc.cluster.local. NOERROR']);
});

test('DNS: a short name of another namespace does not resolve; outside the cluster zone the cluster DNS refuses without forwarding: verdict refused', () => {
  const t = traceIn(C, 'y/other', 'web:80');
  assert.deepEqual(kinds(t), ['source', 'dns']);
  assert.equal(t.verdict, 'refused');
  const dns = hop(t, 'dns');
  assert.deepEqual(
    dns.searched.map((s) => s.rcode),
    ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'REFUSED'],
  );
  assert.equal(dns.rcode, 'REFUSED');
  assert.equal(dns.address, undefined);
});

test('DNS: a name in the cluster zone that does not exist is NXDOMAIN: verdict nxdomain', () => {
  const t = traceIn(C, 'x/client', 'nosuch.x.svc.cluster.local.:80');
  assert.equal(t.verdict, 'nxdomain');
  assert.equal(hop(t, 'dns').rcode, 'NXDOMAIN');
});

test('DNS: a node and an outside client ask the name as written, absolute (no cluster search list)', () => {
  for (const from of ['node/podnet-worker', 'external']) {
    const found = traceIn(C, from, 'web.x.svc.cluster.local:80');
    assert.deepEqual(hop(found, 'dns').resolver, { searches: [], ndots: 1 }, from);
    assert.deepEqual(hop(found, 'dns').searched, [{ name: 'web.x.svc.cluster.local.', rcode: 'NOERROR' }]);
    // The answer is a cluster IP: a node reaches it, an outside client cannot (not routed outside).
    assert.equal(found.verdict, from === 'external' ? 'no-route' : 'delivered');
    if (from === 'external') assert.equal(hop(found, 'unrouted').why, 'service-network');
    assert.equal(traceIn(C, from, 'web:80').verdict, 'refused');
  }
});

test('DNS: a hostNetwork pod with dnsPolicy ClusterFirst asks the node resolver; the hop says so and shows what the cluster DNS would answer', () => {
  const dns = hop(traceIn(C, 'x/agent', 'web.x.svc.cluster.local:80'), 'dns');
  assert.equal(dns.resolver.pod, 'x/agent');
  assert.match(dns.resolver.elsewhere ?? '', /x\/agent sends its queries to .*, not to the cluster DNS/);
});

test('DNS: a headless Service resolves to its pods, and the client connects to the first one directly (no kube-proxy)', () => {
  const web = C.store.get('Pod', 'x', 'web-1')?.status?.podIP;
  for (const to of ['headless:8080', 'svc/x/headless:80', 'svc/x/headless']) {
    const t = traceIn(C, 'x/client', to);
    assert.deepEqual(kinds(t), ['source', 'dns', 'egress-policy', 'ingress-policy', 'delivery'], to);
    assert.equal(hop(t, 'dns').address, web);
    // svc/ on a headless Service goes to the target port, as its SRV records do.
    assert.equal(hop(t, 'delivery').port, 8080, to);
  }
});

test('DNS: an ExternalName Service is a CNAME out of the cluster zone: verdict refused, as no upstream is modelled', () => {
  for (const to of ['db:5432', 'svc/x/db:5432']) {
    const t = traceIn(C, 'x/client', to);
    assert.equal(t.verdict, 'refused', to);
    assert.deepEqual(
      hop(t, 'dns').answers.map((a) => `${a.type} ${a.data}`),
      ['CNAME db.example.com.'],
    );
  }
});

test('DNS: over IPv6 the client asks AAAA; an IPv4-only Service has no AAAA record (NODATA): verdict nxdomain', () => {
  const dual = engine(objects(), dualStackClusterConfig());
  const t = traceIn(dual, 'x/client', 'web:80', { family: 'IPv6', config: dualStackClusterConfig() });
  const dns = hop(t, 'dns');
  assert.equal(dns.question.type, 'AAAA');
  assert.equal(dns.name, 'web.x.svc.cluster.local.');
  assert.equal(dns.rcode, 'NOERROR');
  assert.deepEqual(dns.answers, []);
  assert.equal(t.verdict, 'nxdomain');
});
