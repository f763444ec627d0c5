// The zone's names: the apex (SOA, NS, dns-version), NXDOMAIN versus NOERROR with no data, case,
// names outside the zone, and the name helpers (dashed addresses, reverse names, SRV weight).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalKey,
  dashed,
  inZone,
  normalizeName,
  parseDashedIP,
  reverseAddress,
} from '../../src/dns/names.js';
import { srvWeight } from '../../src/dns/srv.js';
import type { Rcode, RRType } from '../../src/dns/types.js';
import { computeZone } from '../../src/dns/zone-compute.js';
import { formatIP } from '../../src/ip/index.js';
import { build, shopObjects, show } from './zone-fixtures.js';

const snap = build(shopObjects());
const zone = computeZone(snap.store, snap.config);
const SOA = `cluster.local. 30 SOA ns.dns.cluster.local. hostmaster.cluster.local. ${snap.store.resourceVersion} 7200 1800 86400 30`;

interface Row {
  rule: string;
  q: string;
  type: RRType | number;
  rcode: Rcode;
  answers?: string[];
  additional?: string[];
  /** The SOA owner of a negative answer. */
  soa?: string;
}

const ROWS: Row[] = [
  {
    rule: '2.2 dns-version TXT is the schema version, with CoreDNS fixed TTL of 28800',
    q: 'dns-version.cluster.local.',
    type: 'TXT',
    rcode: 'NOERROR',
    answers: ['dns-version.cluster.local. 28800 TXT "1.1.0"'],
  },
  {
    rule: '2.2 dns-version has no A record: NOERROR, no data',
    q: 'dns-version.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'CoreDNS SOA: ns.dns.<zone>, hostmaster.<zone>, fixed timers, minimum = TTL',
    q: 'cluster.local.',
    type: 'SOA',
    rcode: 'NOERROR',
    answers: [SOA],
  },
  {
    rule: 'CoreDNS NS: the Service the DNS pods run behind (kube-dns), its address as glue',
    q: 'cluster.local.',
    type: 'NS',
    rcode: 'NOERROR',
    answers: ['cluster.local. 30 NS kube-dns.kube-system.svc.cluster.local.'],
    additional: ['kube-dns.kube-system.svc.cluster.local. 30 A 10.96.0.10'],
  },
  {
    rule: 'CoreDNS ns.dns.<zone>: the SOA MNAME resolves to the DNS Service address',
    q: 'ns.dns.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    answers: ['ns.dns.cluster.local. 30 A 10.96.0.10'],
  },
  {
    rule: 'the apex has no address: NOERROR, no data',
    q: 'cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'svc.<zone> is an empty non-terminal: NOERROR, no data',
    q: 'svc.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'pod.<zone> is an empty non-terminal: NOERROR, no data',
    q: 'pod.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'CoreDNS: <ns>.svc.<zone> of a namespace that exists: NOERROR, no data',
    q: 'shop.svc.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'CoreDNS: a namespace without Services still exists (kube-public)',
    q: 'kube-public.svc.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'CoreDNS: <ns>.pod.<zone> of a namespace that exists: NOERROR, no data',
    q: 'shop.pod.cluster.local.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'CoreDNS: a namespace that does not exist: NXDOMAIN',
    q: 'nope.svc.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
    soa: 'cluster.local.',
  },
  {
    rule: 'a Service that does not exist: NXDOMAIN with the SOA (RFC 2308)',
    q: 'missing.shop.svc.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
    soa: 'cluster.local.',
  },
  {
    rule: 'a name of neither svc nor pod under the zone: NXDOMAIN',
    q: 'foo.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
    soa: 'cluster.local.',
  },
  {
    rule: 'a name too deep for any record: NXDOMAIN',
    q: 'a.b.web.shop.svc.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
    soa: 'cluster.local.',
  },
  {
    rule: 'wildcard queries (deprecated in the specification) are not served',
    q: '*.shop.svc.cluster.local.',
    type: 'A',
    rcode: 'NXDOMAIN',
    soa: 'cluster.local.',
  },
  {
    rule: 'an unknown type code at an existing name: NOERROR, no data',
    q: 'web.shop.svc.cluster.local.',
    type: 99,
    rcode: 'NOERROR',
    soa: 'cluster.local.',
  },
  {
    rule: 'a known type given by its wire code (1 = A)',
    q: 'web.shop.svc.cluster.local.',
    type: 1,
    rcode: 'NOERROR',
    answers: ['web.shop.svc.cluster.local. 30 A 10.96.0.50'],
  },
  {
    rule: '2.1 comparisons are case-insensitive; the records keep their lower-case names',
    q: 'WEB.Shop.SVC.Cluster.Local.',
    type: 'A',
    rcode: 'NOERROR',
    answers: ['web.shop.svc.cluster.local. 30 A 10.96.0.50'],
  },
  {
    rule: 'a name without the trailing dot is taken as fully qualified',
    q: 'web.shop.svc.cluster.local',
    type: 'A',
    rcode: 'NOERROR',
    answers: ['web.shop.svc.cluster.local. 30 A 10.96.0.50'],
  },
  {
    rule: 'reverse names are case-insensitive too (ip6.arpa nibbles, IN-ADDR)',
    q: '50.0.96.10.IN-ADDR.ARPA.',
    type: 'PTR',
    rcode: 'NOERROR',
    answers: ['50.0.96.10.in-addr.arpa. 30 PTR web.shop.svc.cluster.local.'],
  },
  {
    rule: 'a cluster reverse name exists: other types get NOERROR, no data, with the reverse zone SOA',
    q: '50.0.96.10.in-addr.arpa.',
    type: 'A',
    rcode: 'NOERROR',
    soa: 'in-addr.arpa.',
  },
  {
    rule: 'the reverse zones of the Corefile have a SOA of their own',
    q: 'in-addr.arpa.',
    type: 'SOA',
    rcode: 'NOERROR',
    answers: [
      `in-addr.arpa. 30 SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. ${snap.store.resourceVersion} 7200 1800 86400 30`,
    ],
  },
  {
    rule: 'fallthrough in-addr.arpa: an address outside the cluster is not answered (REFUSED)',
    q: '8.8.8.8.in-addr.arpa.',
    type: 'PTR',
    rcode: 'REFUSED',
  },
  {
    rule: 'fallthrough in-addr.arpa: a cluster address no object has is not answered',
    q: '99.0.96.10.in-addr.arpa.',
    type: 'PTR',
    rcode: 'REFUSED',
  },
  {
    rule: 'fallthrough in-addr.arpa: a partial reverse name is not answered',
    q: '96.10.in-addr.arpa.',
    type: 'PTR',
    rcode: 'REFUSED',
  },
  {
    rule: 'a name outside the cluster domain is not authoritative: REFUSED',
    q: 'www.example.com.',
    type: 'A',
    rcode: 'REFUSED',
  },
  {
    rule: 'a name that merely ends like the domain is outside it',
    q: 'notcluster.local.',
    type: 'A',
    rcode: 'REFUSED',
  },
  {
    rule: 'the root is outside the cluster domain',
    q: '.',
    type: 'NS',
    rcode: 'REFUSED',
  },
];

for (const row of ROWS) {
  test(`${row.rule} (${row.q} ${row.type})`, () => {
    const answer = zone.lookup(row.q, row.type);
    assert.equal(answer.rcode, row.rcode);
    assert.equal(answer.authoritative, row.rcode !== 'REFUSED');
    assert.deepEqual(show(answer), row.answers ?? []);
    assert.deepEqual(show(answer, 'additional'), row.additional ?? []);
    const soa = show(answer, 'authority').map((line) => line.split(' ')[0]);
    assert.deepEqual(soa, row.soa ? [row.soa] : []);
  });
}

test('every record the zone lists is what lookup answers for its name and type', () => {
  const seen = new Set<string>();
  for (const rr of zone.records()) {
    const key = `${rr.name} ${rr.data.type}`;
    if (seen.has(key) || rr.data.type === 'CNAME') continue;
    seen.add(key);
    const listed = zone.records().filter((r) => r.name === rr.name && r.data.type === rr.data.type);
    assert.deepEqual(zone.lookup(rr.name, rr.data.type).answers, listed, key);
  }
});

test('RFC 8020: every ancestor of a name in the zone exists (empty non-terminals are NOERROR)', () => {
  for (const rr of zone.records()) {
    if (!inZone(rr.name, zone.domain)) continue;
    for (let name = rr.name; name !== zone.domain; name = name.slice(name.indexOf('.') + 1)) {
      assert.equal(zone.lookup(name, 'TXT').rcode, 'NOERROR', `${name} (above ${rr.name})`);
    }
  }
});

/** RFC 4034 §6.1, label by label from the right, written out plainly. */
function canonicalCompare(a: string, b: string): number {
  const x = a.slice(0, -1).split('.').reverse();
  const y = b.slice(0, -1).split('.').reverse();
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

test('records() lists owners in RFC 4034 canonical order, each SOA first at its apex', () => {
  const records = zone.records();
  for (let i = 1; i < records.length; i++) {
    assert.ok(
      canonicalCompare(records[i - 1].name, records[i].name) <= 0,
      `${records[i - 1].name} then ${records[i].name}`,
    );
  }
  for (const apex of ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.']) {
    assert.equal(records.find((rr) => rr.name === apex)?.data.type, 'SOA', apex);
  }
});

test('deterministic: the same objects give the same zone, record for record', () => {
  const again = computeZone(build(shopObjects()).store, snap.config);
  assert.equal(JSON.stringify(again.records()), JSON.stringify(zone.records()));
});

test('the TTL is configurable (kubernetes plugin `ttl`): records, SOA minimum and SOA TTL follow', () => {
  const short = computeZone(snap.store, snap.config, { ttl: 5 });
  assert.deepEqual(show(short.lookup('web.shop.svc.cluster.local', 'A')), [
    'web.shop.svc.cluster.local. 5 A 10.96.0.50',
  ]);
  assert.match(show(short.lookup('cluster.local', 'SOA'))[0], /^cluster\.local\. 5 SOA .* 86400 5$/);
  assert.match(show(short.lookup('dns-version.cluster.local', 'TXT'))[0], / 28800 TXT /);
});

test('CoreDNS caps the SOA record TTL at 300 while the minimum follows the TTL', () => {
  const long = computeZone(snap.store, snap.config, { ttl: 3600 });
  assert.match(show(long.lookup('cluster.local', 'SOA'))[0], /^cluster\.local\. 300 SOA .* 86400 3600$/);
});

test('the SOA serial is the store resourceVersion unless given', () => {
  const given = computeZone(snap.store, snap.config, { serial: 42 });
  const soa = given.lookup('cluster.local', 'SOA').answers[0].data;
  assert.equal(soa.type === 'SOA' && soa.serial, 42);
});

test('a TTL or serial out of range is refused with InvalidUsage', () => {
  for (const options of [{ ttl: -1 }, { ttl: 3601 }, { ttl: 1.5 }, { serial: 2 ** 32 }]) {
    assert.throws(
      () => computeZone(snap.store, snap.config, options),
      { code: 'InvalidUsage' },
      JSON.stringify(options),
    );
  }
});

test('names: normalised to lower case with the trailing dot; inZone compares whole labels', () => {
  assert.equal(normalizeName('A.B'), 'a.b.');
  assert.equal(normalizeName('a.b.'), 'a.b.');
  assert.equal(inZone('cluster.local.', 'cluster.local.'), true);
  assert.equal(inZone('x.cluster.local.', 'cluster.local.'), true);
  assert.equal(inZone('xcluster.local.', 'cluster.local.'), false);
  assert.ok(canonicalKey('a.example.') < canonicalKey('z.a.example.'));
  assert.ok(canonicalKey('z.a.example.') < canonicalKey('a-b.example.'));
});

test('CoreDNS endpointHostname: the canonical address with dots or colons as dashes', () => {
  assert.equal(dashed('10.244.1.5'), '10-244-1-5');
  assert.equal(dashed('fd00:10:244:1::5'), 'fd00-10-244-1--5');
});

const DASHED: [string, string | undefined][] = [
  ['10-244-1-5', '10.244.1.5'],
  ['fd00-10-244-1--5', 'fd00:10:244:1::5'],
  ['--1', '::1'],
  // Three dashes and no "--" is read as IPv4, so this IPv6-looking label is no address.
  ['fd00-1-2-3', undefined],
  ['1-2-3-4-5', undefined],
  ['01-2-3-4', undefined],
  ['pod', undefined],
  ['', undefined],
];

for (const [label, address] of DASHED) {
  test(`CoreDNS findPods: "${label}" spells ${address ?? 'no address'}`, () => {
    const ip = parseDashedIP(label);
    assert.equal(ip && formatIP(ip), address);
  });
}

const REVERSE: [string, string | undefined][] = [
  ['4.3.2.1.in-addr.arpa.', '1.2.3.4'],
  ['5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa.', 'fd00:10:244:1::5'],
  ['3.2.1.in-addr.arpa.', undefined],
  ['4.3.2.01.in-addr.arpa.', undefined],
  ['5.0.d.f.ip6.arpa.', undefined],
  ['web.shop.svc.cluster.local.', undefined],
];

for (const [name, address] of REVERSE) {
  test(`RFC 1035 §3.5 / RFC 3596 §2.5: ${name} stands for ${address ?? 'no single address'}`, () => {
    assert.equal(reverseAddress(name), address);
  });
}

test('CoreDNS SRV weight: floor(100 / entries), at least 1', () => {
  assert.deepEqual([1, 2, 3, 4, 7, 100, 101, 1000].map(srvWeight), [100, 50, 33, 25, 14, 1, 1, 1]);
});

test('the IPv4-mapped form of a pod name answers with A, as Go reports such an address', () => {
  const answer = zone.lookup('--ffff-a00-1.shop.pod.cluster.local', 'A');
  assert.deepEqual(show(answer), ['--ffff-a00-1.shop.pod.cluster.local. 30 A 10.0.0.1']);
});
