// The cluster zone, CoreDNS style: one fixed cluster, then a table of questions and the exact
// answers. Each row cites the section of the Kubernetes DNS specification (kubernetes/dns
// docs/specification.md) or the CoreDNS behaviour (plugin/kubernetes) it checks.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rcode, RRType } from '../../src/dns/types.js';
import { computeZone } from '../../src/dns/zone-compute.js';
import { build, shopObjects, show } from './zone-fixtures.js';

const snap = build(shopObjects());
const zone = computeZone(snap.store, snap.config);
const SVC = 'shop.svc.cluster.local.';

interface Row {
  rule: string;
  q: string;
  type: RRType | number;
  rcode: Rcode;
  answers?: string[];
  additional?: string[];
}

const ROWS: Row[] = [
  // 2.3 Service with a ClusterIP
  {
    rule: '2.3.1 A record: <service>.<ns>.svc.<zone> is the cluster IP',
    q: `web.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`web.${SVC} 30 A 10.96.0.50`],
  },
  {
    rule: '2.3.1 a single-stack IPv4 Service has no AAAA: NOERROR, no data',
    q: `web.${SVC}`,
    type: 'AAAA',
    rcode: 'NOERROR',
  },
  {
    rule: '2.3.1 a ClusterIP Service without endpoints still has its A record',
    q: `lonely.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`lonely.${SVC} 30 A 10.96.0.52`],
  },
  {
    rule: '2.3.2 SRV _<port>._<proto> for a named TCP port: priority 0, weight 100, target the Service, A in additional',
    q: `_http._tcp.web.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [`_http._tcp.web.${SVC} 30 SRV 0 100 80 web.${SVC}`],
    additional: [`web.${SVC} 30 A 10.96.0.50`],
  },
  {
    rule: '2.3.2 SRV for a named UDP port is under _udp',
    q: `_stats._udp.web.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [`_stats._udp.web.${SVC} 30 SRV 0 100 9000 web.${SVC}`],
    additional: [`web.${SVC} 30 A 10.96.0.50`],
  },
  {
    rule: '2.3.2 a port name under the wrong protocol does not exist',
    q: `_http._udp.web.${SVC}`,
    type: 'SRV',
    rcode: 'NXDOMAIN',
  },
  {
    rule: '2.3.2 _<proto>.<service> is an empty non-terminal: NOERROR, no data (RFC 8020)',
    q: `_tcp.web.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
  },
  {
    rule: '2.3.2 unnamed ports do not have an SRV record',
    q: `_tcp.plain.${SVC}`,
    type: 'SRV',
    rcode: 'NXDOMAIN',
  },
  {
    rule: 'CoreDNS: SRV at the Service name lists every port, named or not, weight 100/ports',
    q: `web.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [`web.${SVC} 30 SRV 0 50 80 web.${SVC}`, `web.${SVC} 30 SRV 0 50 9000 web.${SVC}`],
    additional: [`web.${SVC} 30 A 10.96.0.50`],
  },
  {
    rule: 'CoreDNS: SRV at the Service name includes an unnamed port',
    q: `plain.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [`plain.${SVC} 30 SRV 0 100 8000 plain.${SVC}`],
    additional: [`plain.${SVC} 30 A 10.96.0.51`],
  },
  {
    rule: '2.3.3 PTR for the cluster IP names the Service',
    q: '50.0.96.10.in-addr.arpa.',
    type: 'PTR',
    rcode: 'NOERROR',
    answers: [`50.0.96.10.in-addr.arpa. 30 PTR web.${SVC}`],
  },
  {
    rule: '2.3.3 PTR for the kube-dns cluster IP (a cluster IP from the system objects)',
    q: '10.0.96.10.in-addr.arpa',
    type: 'PTR',
    rcode: 'NOERROR',
    answers: ['10.0.96.10.in-addr.arpa. 30 PTR kube-dns.kube-system.svc.cluster.local.'],
  },
  {
    rule: 'CoreDNS: a ready endpoint of a ClusterIP Service has the dashed-address name (endpointHostname)',
    q: `10-244-1-10.web.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`10-244-1-10.web.${SVC} 30 A 10.244.1.10`],
  },
  {
    rule: 'CoreDNS: SRV at an endpoint name lists the slice ports (target ports), the endpoint as target',
    q: `10-244-1-10.web.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [
      `10-244-1-10.web.${SVC} 30 SRV 0 50 8080 10-244-1-10.web.${SVC}`,
      `10-244-1-10.web.${SVC} 30 SRV 0 50 9000 10-244-1-10.web.${SVC}`,
    ],
    additional: [`10-244-1-10.web.${SVC} 30 A 10.244.1.10`],
  },
  {
    rule: 'EndpointSlice ready=false (pod not Ready): the endpoint has no name',
    q: `10-244-1-11.web.${SVC}`,
    type: 'A',
    rcode: 'NXDOMAIN',
  },
  {
    rule: 'EndpointSlice terminating (ready=false): the endpoint has no name',
    q: `10-244-2-11.web.${SVC}`,
    type: 'A',
    rcode: 'NXDOMAIN',
  },
  {
    rule: 'CoreDNS: PTR for every ready endpoint address, one per Service selecting the pod',
    q: '10.1.244.10.in-addr.arpa.',
    type: 'PTR',
    rcode: 'NOERROR',
    answers: [
      `10.1.244.10.in-addr.arpa. 30 PTR 10-244-1-10.plain.${SVC}`,
      `10.1.244.10.in-addr.arpa. 30 PTR 10-244-1-10.web.${SVC}`,
    ],
  },
  {
    rule: 'no PTR for a not-ready endpoint: not ours, left to the next server (fallthrough)',
    q: '11.1.244.10.in-addr.arpa.',
    type: 'PTR',
    rcode: 'REFUSED',
  },

  // 2.4 Headless Service
  {
    rule: '2.4.1 A records: every ready endpoint address, not the not-ready one',
    q: `db.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`db.${SVC} 30 A 10.244.1.20`, `db.${SVC} 30 A 10.244.2.20`],
  },
  {
    rule: '2.4.1 A record <hostname>.<service> from the EndpointSlice hostname (StatefulSet pod)',
    q: `db-0.db.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`db-0.db.${SVC} 30 A 10.244.1.20`],
  },
  {
    rule: '2.4.1 a not-ready endpoint has no hostname record',
    q: `db-2.db.${SVC}`,
    type: 'A',
    rcode: 'NXDOMAIN',
  },
  {
    rule: '2.4.1 no ready endpoints: NXDOMAIN',
    q: `empty.${SVC}`,
    type: 'A',
    rcode: 'NXDOMAIN',
  },
  {
    rule: '2.4.1 no ready endpoints: the port names do not exist either',
    q: `_pg._tcp.empty.${SVC}`,
    type: 'SRV',
    rcode: 'NXDOMAIN',
  },
  {
    rule: '2.4.2 SRV: one per ready endpoint and named port, target <hostname>.<service>, weight 100/2',
    q: `_pg._tcp.db.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [
      `_pg._tcp.db.${SVC} 30 SRV 0 50 5432 db-0.db.${SVC}`,
      `_pg._tcp.db.${SVC} 30 SRV 0 50 5432 db-1.db.${SVC}`,
    ],
    additional: [`db-0.db.${SVC} 30 A 10.244.1.20`, `db-1.db.${SVC} 30 A 10.244.2.20`],
  },
  {
    rule: '2.4.3 PTR for a ready endpoint with a hostname names <hostname>.<service>',
    q: '20.1.244.10.in-addr.arpa.',
    type: 'PTR',
    rcode: 'NOERROR',
    answers: [`20.1.244.10.in-addr.arpa. 30 PTR db-0.db.${SVC}`],
  },
  {
    rule: 'publishNotReadyAddresses: the not-ready pod is served (EndpointSlice ready=true)',
    q: `peers.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`peers.${SVC} 30 A 10.244.1.30`, `peers.${SVC} 30 A 10.244.2.30`],
  },
  {
    rule: 'publishNotReadyAddresses: the not-ready pod has its endpoint name',
    q: `10-244-2-30.peers.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`10-244-2-30.peers.${SVC} 30 A 10.244.2.30`],
  },
  {
    rule: '2.4.2 a headless Service without ports has no SRV: NOERROR, no data',
    q: `peers.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
  },

  // 2.5 ExternalName
  {
    rule: '2.5 an A question gets the CNAME to the external name (resolved further by the client)',
    q: `ext.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`ext.${SVC} 30 CNAME www.example.com.`],
  },
  {
    rule: '2.5 the CNAME answers a CNAME question',
    q: `ext.${SVC}`,
    type: 'CNAME',
    rcode: 'NOERROR',
    answers: [`ext.${SVC} 30 CNAME www.example.com.`],
  },
  {
    rule: '2.5 the CNAME answers any type (RFC 1034 §4.3.2)',
    q: `ext.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [`ext.${SVC} 30 CNAME www.example.com.`],
  },
  {
    rule: '2.5 a CNAME to a cluster name is followed: the CNAME, then the target A',
    q: `alias.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`alias.${SVC} 30 CNAME web.${SVC}`, `web.${SVC} 30 A 10.96.0.50`],
  },
  {
    rule: '2.5 a followed CNAME whose target lacks the type: the CNAME and the SOA',
    q: `alias.${SVC}`,
    type: 'AAAA',
    rcode: 'NOERROR',
    answers: [`alias.${SVC} 30 CNAME web.${SVC}`],
  },
  {
    rule: 'CoreDNS: an ExternalName that is an IP address gets no record: NXDOMAIN',
    q: `ext-ip.${SVC}`,
    type: 'A',
    rcode: 'NXDOMAIN',
  },

  // 2.6 Pods (`pods insecure`)
  {
    rule: '2.6 <a-b-c-d>.<ns>.pod.<zone> A for a pod address',
    q: '10-244-1-10.shop.pod.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    answers: ['10-244-1-10.shop.pod.cluster.local. 30 A 10.244.1.10'],
  },
  {
    rule: '2.6 pods insecure: any well-formed address in a namespace that exists',
    q: '192-0-2-7.shop.pod.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    answers: ['192-0-2-7.shop.pod.cluster.local. 30 A 192.0.2.7'],
  },
  {
    rule: '2.6 pods insecure: the IPv6 form, colons as dashes (fd00-10-244-1--5)',
    q: 'fd00-10-244-1--5.shop.pod.cluster.local.',
    type: 'AAAA',
    rcode: 'NOERROR',
    answers: ['fd00-10-244-1--5.shop.pod.cluster.local. 30 AAAA fd00:10:244:1::5'],
  },
  {
    rule: '2.6 an IPv4 pod name has no AAAA: NOERROR, no data',
    q: '10-244-1-10.shop.pod.cluster.local.',
    type: 'AAAA',
    rcode: 'NOERROR',
  },
  {
    rule: '2.6 a namespace that does not exist: NXDOMAIN',
    q: '10-244-1-10.nope.pod.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
  },
  {
    rule: '2.6 not an address (octet 300): NXDOMAIN',
    q: '300-1-1-1.shop.pod.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
  },
  {
    rule: '2.6 not an address (leading zero, rejected as Go rejects it): NXDOMAIN',
    q: '10-244-01-10.shop.pod.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
  },
];

for (const row of ROWS) {
  test(`${row.rule} (${row.q} ${row.type})`, () => {
    const answer = zone.lookup(row.q, row.type);
    assert.equal(answer.rcode, row.rcode);
    assert.equal(answer.authoritative, row.rcode !== 'REFUSED');
    assert.deepEqual(show(answer), row.answers ?? []);
    assert.deepEqual(show(answer, 'additional'), row.additional ?? []);
    // RFC 2308: a negative answer carries the zone's SOA; a positive one nothing in authority.
    const negative = row.rcode === 'NXDOMAIN' || (row.rcode === 'NOERROR' && answer.answers.length === 0);
    const cnameOnly = answer.answers.length > 0 && answer.answers.every((rr) => rr.data.type === 'CNAME');
    if (negative) assert.deepEqual(show(answer, 'authority').map(soaOwner), ['cluster.local.']);
    else if (!cnameOnly) assert.deepEqual(answer.authority, []);
  });
}

function soaOwner(line: string): string {
  const [owner, , type] = line.split(' ');
  assert.equal(type, 'SOA');
  return owner;
}

test('CoreDNS: SRV at a headless Service name lists every ready endpoint with every port', () => {
  const answer = zone.lookup(`db.${SVC}`, 'SRV');
  assert.deepEqual(show(answer), [
    `db.${SVC} 30 SRV 0 50 5432 db-0.db.${SVC}`,
    `db.${SVC} 30 SRV 0 50 5432 db-1.db.${SVC}`,
  ]);
});
