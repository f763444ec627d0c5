import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRecord, renderMasterFile, zoneOrigins } from '../../src/dns/master-file.js';
import type { RData, ResourceRecord } from '../../src/dns/types.js';

const rr = (name: string, data: RData, ttl = 5): ResourceRecord => ({ name, ttl, data });
const SOA: RData = {
  type: 'SOA',
  mname: 'ns.dns.cluster.local.',
  rname: 'hostmaster.cluster.local.',
  serial: 1,
  refresh: 7200,
  retry: 1800,
  expire: 86400,
  minimum: 5,
};

/** A small cluster zone, deliberately out of order, with a reverse zone mixed in. */
const RECORDS: ResourceRecord[] = [
  rr('web.default.svc.cluster.local.', { type: 'A', address: '10.96.0.20' }),
  rr('_http._tcp.web.default.svc.cluster.local.', {
    type: 'SRV',
    priority: 0,
    weight: 100,
    port: 80,
    target: 'web.default.svc.cluster.local.',
  }),
  rr('nginx.default.svc.cluster.local.', { type: 'A', address: '10.244.1.9' }),
  rr('nginx.default.svc.cluster.local.', { type: 'A', address: '10.244.1.10' }),
  rr('nginx.default.svc.cluster.local.', { type: 'AAAA', address: 'fd00:10:244::a' }),
  rr('20.0.96.10.in-addr.arpa.', { type: 'PTR', target: 'web.default.svc.cluster.local.' }),
  rr('in-addr.arpa.', SOA),
  rr('cluster.local.', { type: 'NS', target: 'ns.dns.cluster.local.' }),
  rr('dns-version.cluster.local.', { type: 'TXT', text: ['1.1.0'] }),
  rr('cluster.local.', SOA, 30),
  rr('kubernetes.default.svc.cluster.local.', { type: 'A', address: '10.96.0.1' }),
];

test("master file: SOA first, then owners in DNSSEC canonical order, records of one owner in the zone's order (RFC 1035 §5, RFC 4034 §6.1)", () => {
  assert.equal(
    renderMasterFile(RECORDS, 'cluster.local.'),
    [
      '$ORIGIN cluster.local.',
      'cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5',
      'cluster.local.\t5\tIN\tNS\tns.dns.cluster.local.',
      'dns-version.cluster.local.\t5\tIN\tTXT\t"1.1.0"',
      'kubernetes.default.svc.cluster.local.\t5\tIN\tA\t10.96.0.1',
      'nginx.default.svc.cluster.local.\t5\tIN\tA\t10.244.1.9',
      'nginx.default.svc.cluster.local.\t5\tIN\tA\t10.244.1.10',
      'nginx.default.svc.cluster.local.\t5\tIN\tAAAA\tfd00:10:244::a',
      'web.default.svc.cluster.local.\t5\tIN\tA\t10.96.0.20',
      '_http._tcp.web.default.svc.cluster.local.\t5\tIN\tSRV\t0 100 80 web.default.svc.cluster.local.',
      '',
    ].join('\n'),
  );
});

test('master file: one zone per file; records of another zone (in-addr.arpa) are left to its own file', () => {
  assert.deepEqual(zoneOrigins(RECORDS), ['in-addr.arpa.', 'cluster.local.']);
  assert.equal(
    renderMasterFile(RECORDS, 'in-addr.arpa.'),
    [
      '$ORIGIN in-addr.arpa.',
      'in-addr.arpa.\t5\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5',
      '20.0.96.10.in-addr.arpa.\t5\tIN\tPTR\tweb.default.svc.cluster.local.',
      '',
    ].join('\n'),
  );
});

test('master file: a zone cut below the origin keeps its records out of the parent file', () => {
  const records = [
    rr('example.', SOA),
    rr('a.example.', { type: 'A', address: '192.0.2.1' }),
    rr('sub.example.', SOA),
    rr('b.sub.example.', { type: 'A', address: '192.0.2.2' }),
  ];
  assert.equal(
    renderMasterFile(records, 'example.'),
    '$ORIGIN example.\nexample.\t5\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5\na.example.\t5\tIN\tA\t192.0.2.1\n',
  );
});

test('master file: the same whatever the order of owners in the input (DESIGN.md: deterministic)', () => {
  const nginx = (r: ResourceRecord) => r.name.startsWith('nginx.');
  const moved = [...RECORDS.filter(nginx), ...RECORDS.filter((r) => !nginx(r)).reverse()];
  assert.equal(renderMasterFile(moved, 'cluster.local'), renderMasterFile(RECORDS, 'cluster.local.'));
});

test('master file: TXT strings are quoted with \\" and \\\\ escaped and other bytes as \\DDD (RFC 1035 §5.1)', () => {
  assert.equal(
    formatRecord(rr('t.cluster.local.', { type: 'TXT', text: ['a "b" \\c', 'tab\there', 'é'] })),
    't.cluster.local.\t5\tIN\tTXT\t"a \\"b\\" \\\\c" "tab\\009here" "\\195\\169"',
  );
});

test("master file: owners in the order of RFC 4034 §6.1's own example, case-insensitively", () => {
  const names = [
    'example.',
    'a.example.',
    'yljkjljk.a.example.',
    'Z.a.example.',
    'zABC.a.EXAMPLE.',
    'z.example.',
    '*.z.example.',
  ];
  const records = names.map((name, i) => rr(name, i === 0 ? SOA : { type: 'TXT', text: [String(i)] }));
  const owners = renderMasterFile([...records].reverse(), 'example.')
    .split('\n')
    .slice(1, -1)
    .map((line) => line.split('\t')[0]);
  assert.deepEqual(owners, names);
});
