// Dual-stack: a Service with a cluster IP of each family, and pods with an address of each,
// as kind's `ipFamily: dual` cluster has them (IPv4 primary).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { ServiceSpec } from '../../src/api/types.js';
import type { Rcode, RRType } from '../../src/dns/types.js';
import { computeZone } from '../../src/dns/zone-compute.js';
import { parseIP, reverseName } from '../../src/ip/index.js';
import { build, pod, service, show } from './zone-fixtures.js';

const config = dualStackClusterConfig();
const dual: Pick<ServiceSpec, 'ipFamilyPolicy' | 'ipFamilies'> = {
  ipFamilyPolicy: 'RequireDualStack',
  ipFamilies: ['IPv4', 'IPv6'],
};
const snap = build(
  [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    service('web', {
      ...dual,
      clusterIP: '10.96.0.60',
      clusterIPs: ['10.96.0.60', 'fd00:10:96::60'],
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    }),
    pod('web-1', 'web', ['10.244.1.10', 'fd00:10:244:1::a']),
    service('db', {
      ...dual,
      clusterIP: 'None',
      selector: { app: 'db' },
      ports: [{ name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' }],
    }),
    pod('db-0', 'db', ['10.244.1.20', 'fd00:10:244:1::14'], { hostname: 'db-0', subdomain: 'db' }),
    pod('db-1', 'db', ['10.244.2.20', 'fd00:10:244:2::14'], { hostname: 'db-1', subdomain: 'db' }),
  ],
  config,
);
const zone = computeZone(snap.store, snap.config);
const SVC = 'shop.svc.cluster.local.';

/** The PTR owner of an address. */
function rev(address: string): string {
  const ip = parseIP(address);
  assert.ok(ip);
  return reverseName(ip);
}

interface Row {
  rule: string;
  q: string;
  type: RRType;
  rcode: Rcode;
  answers?: string[];
  additional?: string[];
}

const ROWS: Row[] = [
  {
    rule: '2.3.1 A/AAAA: the IPv4 cluster IP answers A',
    q: `web.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
    answers: [`web.${SVC} 30 A 10.96.0.60`],
  },
  {
    rule: '2.3.1 A/AAAA: the IPv6 cluster IP answers AAAA',
    q: `web.${SVC}`,
    type: 'AAAA',
    rcode: 'NOERROR',
    answers: [`web.${SVC} 30 AAAA fd00:10:96::60`],
  },
  {
    rule: '2.3.2 SRV: one record for the port; CoreDNS weighs each cluster IP, so 100/2, both addresses additional',
    q: `_http._tcp.web.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [`_http._tcp.web.${SVC} 30 SRV 0 50 80 web.${SVC}`],
    additional: [`web.${SVC} 30 A 10.96.0.60`, `web.${SVC} 30 AAAA fd00:10:96::60`],
  },
  {
    rule: '2.3.3 PTR for the IPv6 cluster IP, under ip6.arpa',
    q: rev('fd00:10:96::60'),
    type: 'PTR',
    rcode: 'NOERROR',
    answers: [`${rev('fd00:10:96::60')} 30 PTR web.${SVC}`],
  },
  {
    rule: 'CoreDNS endpointHostname: an IPv6 endpoint name is the canonical address with dashes',
    q: `fd00-10-244-1--a.web.${SVC}`,
    type: 'AAAA',
    rcode: 'NOERROR',
    answers: [`fd00-10-244-1--a.web.${SVC} 30 AAAA fd00:10:244:1::a`],
  },
  {
    rule: 'the IPv6 endpoint name has no A: each family has its own dashed name',
    q: `fd00-10-244-1--a.web.${SVC}`,
    type: 'A',
    rcode: 'NOERROR',
  },
  {
    rule: 'CoreDNS: PTR for an IPv6 endpoint address',
    q: rev('fd00:10:244:1::a'),
    type: 'PTR',
    rcode: 'NOERROR',
    answers: [`${rev('fd00:10:244:1::a')} 30 PTR fd00-10-244-1--a.web.${SVC}`],
  },
  {
    rule: '2.4.1 A/AAAA: a dual-stack headless Service answers AAAA with the IPv6 endpoints',
    q: `db.${SVC}`,
    type: 'AAAA',
    rcode: 'NOERROR',
    answers: [`db.${SVC} 30 AAAA fd00:10:244:1::14`, `db.${SVC} 30 AAAA fd00:10:244:2::14`],
  },
  {
    rule: '2.4.1 one hostname, an address of each family: the name has both A and AAAA',
    q: `db-0.db.${SVC}`,
    type: 'AAAA',
    rcode: 'NOERROR',
    answers: [`db-0.db.${SVC} 30 AAAA fd00:10:244:1::14`],
  },
  {
    rule: '2.4.2 SRV: one record per hostname and port, weighed over both families (100/4)',
    q: `_pg._tcp.db.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [
      `_pg._tcp.db.${SVC} 30 SRV 0 25 5432 db-0.db.${SVC}`,
      `_pg._tcp.db.${SVC} 30 SRV 0 25 5432 db-1.db.${SVC}`,
    ],
    additional: [
      `db-0.db.${SVC} 30 A 10.244.1.20`,
      `db-0.db.${SVC} 30 AAAA fd00:10:244:1::14`,
      `db-1.db.${SVC} 30 A 10.244.2.20`,
      `db-1.db.${SVC} 30 AAAA fd00:10:244:2::14`,
    ],
  },
  {
    rule: 'CoreDNS: SRV at a dual-stack endpoint name, the slices of both families agreeing on ports',
    q: `db-0.db.${SVC}`,
    type: 'SRV',
    rcode: 'NOERROR',
    answers: [`db-0.db.${SVC} 30 SRV 0 50 5432 db-0.db.${SVC}`],
    additional: [`db-0.db.${SVC} 30 A 10.244.1.20`, `db-0.db.${SVC} 30 AAAA fd00:10:244:1::14`],
  },
  {
    rule: '2.4.3 PTR for the IPv6 address of an endpoint with a hostname',
    q: rev('fd00:10:244:1::14'),
    type: 'PTR',
    rcode: 'NOERROR',
    answers: [`${rev('fd00:10:244:1::14')} 30 PTR db-0.db.${SVC}`],
  },
  {
    rule: '2.6 the IPv6 pod name of a pod address',
    q: 'fd00-10-244-1--a.shop.pod.cluster.local.',
    type: 'AAAA',
    rcode: 'NOERROR',
    answers: ['fd00-10-244-1--a.shop.pod.cluster.local. 30 AAAA fd00:10:244:1::a'],
  },
];

for (const row of ROWS) {
  test(`${row.rule} (${row.q} ${row.type})`, () => {
    const answer = zone.lookup(row.q, row.type);
    assert.equal(answer.rcode, row.rcode);
    assert.deepEqual(show(answer), row.answers ?? []);
    assert.deepEqual(show(answer, 'additional'), row.additional ?? []);
  });
}

test('a name under ip6.arpa with no data of the type gets the ip6.arpa SOA', () => {
  const answer = zone.lookup(rev('fd00:10:96::60'), 'AAAA');
  assert.equal(answer.rcode, 'NOERROR');
  assert.deepEqual(
    answer.authority.map((rr) => rr.name),
    ['ip6.arpa.'],
  );
});

test('an ip6.arpa name of an address no object has is not answered (fallthrough ip6.arpa)', () => {
  assert.equal(zone.lookup(rev('fd00:10:96::61'), 'PTR').rcode, 'REFUSED');
});
