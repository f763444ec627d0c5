import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type DNSServer, startDNSServer } from '../../src/dns/server.js';
import type { ClusterZone } from '../../src/dns/zone.js';
import { dig, digUnavailable } from './server-dig.js';
import { fixtureZone, HEADLESS, HEADLESS_SIZE } from './server-fixtures.js';

const skip = digUnavailable();
let zone: ClusterZone = fixtureZone();
let server: DNSServer;
let port: number;

before(async () => {
  server = await startDNSServer({ zone: () => zone, listen: [{ address: '127.0.0.1', port: 0 }] });
  port = server.addresses[0].port;
});
after(() => server.close());

test('server: binds UDP and TCP on one ephemeral port and reports it', () => {
  assert.equal(server.addresses.length, 1);
  assert.equal(server.addresses[0].address, '127.0.0.1');
  assert.equal(server.addresses[0].family, 'IPv4');
  assert.ok(port > 0);
});

test('dig: a Service A record, authoritative, no recursion offered (Kubernetes DNS spec §2.3.1)', {
  skip,
}, async () => {
  const r = await dig(port, 'my-svc.default.svc.cluster.local', 'A', '+norec');
  assert.equal(r.status, 'NOERROR');
  assert.deepEqual(r.flags, ['qr', 'aa']);
  assert.deepEqual(r.answer, ['my-svc.default.svc.cluster.local. 30 IN A 10.96.0.11']);
  assert.equal(r.transport, 'UDP');
  assert.equal(r.edns, '; EDNS: version: 0, flags:; udp: 1232');
});

test('dig: RD is copied, RA stays clear (RFC 1035 §4.1.1; no recursion without forwarding)', {
  skip,
}, async () => {
  const r = await dig(port, 'my-svc.default.svc.cluster.local', 'A', '+rec');
  assert.deepEqual(r.flags, ['qr', 'aa', 'rd']);
});

test('dig: the question and the answer keep the client case (RFC 4343)', { skip }, async () => {
  const r = await dig(port, 'My-Svc.Default.SVC.cluster.local', 'A', '+norec');
  assert.deepEqual(r.question, [';My-Svc.Default.SVC.cluster.local. IN A']);
  assert.deepEqual(r.answer, ['My-Svc.Default.SVC.cluster.local. 30 IN A 10.96.0.11']);
});

test('dig: SRV answers with the targets addresses as additional records (RFC 2782)', { skip }, async () => {
  const r = await dig(port, '_web._tcp.nginx.default.svc.cluster.local', 'SRV', '+norec');
  assert.deepEqual(r.answer, [
    '_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-0.nginx.default.svc.cluster.local.',
    '_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-1.nginx.default.svc.cluster.local.',
  ]);
  assert.deepEqual(r.additional, [
    'web-0.nginx.default.svc.cluster.local. 30 IN A 10.244.1.5',
    'web-1.nginx.default.svc.cluster.local. 30 IN A 10.244.2.7',
  ]);
});

const ROWS: { query: string[]; status: string; answer?: string[]; authority?: string[] }[] = [
  {
    query: ['nope.default.svc.cluster.local', 'A'],
    status: 'NXDOMAIN',
    authority: [
      'cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30',
    ],
  },
  {
    query: ['dual.default.svc.cluster.local', 'AAAA'],
    status: 'NOERROR',
    answer: ['dual.default.svc.cluster.local. 30 IN AAAA fd00:10:96::c'],
  },
  {
    query: ['-x', '10.96.0.11'],
    status: 'NOERROR',
    answer: ['11.0.96.10.in-addr.arpa. 30 IN PTR my-svc.default.svc.cluster.local.'],
  },
  {
    query: ['dns-version.cluster.local', 'TXT'],
    status: 'NOERROR',
    answer: ['dns-version.cluster.local. 30 IN TXT "1.1.0"'],
  },
  {
    query: ['ext.default.svc.cluster.local', 'CNAME'],
    status: 'NOERROR',
    answer: ['ext.default.svc.cluster.local. 30 IN CNAME example.com.'],
  },
  { query: ['example.com', 'A'], status: 'REFUSED', answer: [], authority: [] },
  {
    query: ['my-svc.default.svc.cluster.local', 'TYPE65'],
    status: 'NOERROR',
    answer: [],
    authority: [
      'cluster.local. 30 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30',
    ],
  },
];

for (const row of ROWS) {
  test(`dig: ${row.query.join(' ')} -> ${row.status} (RFC 1035, RFC 2308; CoreDNS kubernetes plugin)`, {
    skip,
  }, async () => {
    const r = await dig(port, ...row.query, '+norec');
    assert.equal(r.status, row.status);
    if (row.answer) assert.deepEqual(r.answer, row.answer);
    if (row.authority) assert.deepEqual(r.authority, row.authority);
  });
}

test('dig +tcp: the same answer over TCP (RFC 7766)', { skip }, async () => {
  const r = await dig(port, 'my-svc.default.svc.cluster.local', 'A', '+norec', '+tcp');
  assert.equal(r.transport, 'TCP');
  assert.deepEqual(r.answer, ['my-svc.default.svc.cluster.local. 30 IN A 10.96.0.11']);
});

test('dig +bufsize=512 +ignore: 60 headless addresses do not fit, so TC and no records (RFC 6891 §7, RFC 2181 §9)', {
  skip,
}, async () => {
  const r = await dig(port, HEADLESS, 'A', '+norec', '+bufsize=512', '+ignore');
  assert.equal(r.status, 'NOERROR');
  assert.deepEqual(r.flags, ['qr', 'aa', 'tc']);
  assert.deepEqual(r.answer, []);
  assert.equal(r.transport, 'UDP');
});

test('dig +bufsize=512: after TC dig retries over TCP and gets every address (RFC 7766 §5)', {
  skip,
}, async () => {
  const r = await dig(port, HEADLESS, 'A', '+norec', '+bufsize=512');
  assert.equal(r.transport, 'TCP');
  assert.equal(r.answer.length, HEADLESS_SIZE);
  assert.deepEqual(r.flags, ['qr', 'aa']);
});

test('dig +noedns: no OPT record in the answer, and 512 octets is the UDP limit (RFC 6891 §7, RFC 1035 §4.2.1)', {
  skip,
}, async () => {
  const small = await dig(port, 'my-svc.default.svc.cluster.local', 'A', '+norec', '+noedns');
  assert.equal(small.edns, undefined);
  assert.equal(small.answer.length, 1);
  const big = await dig(port, HEADLESS, 'A', '+norec', '+noedns', '+ignore');
  assert.deepEqual(big.flags, ['qr', 'aa', 'tc']);
});

test('dig +edns=1: BADVERS, answered with EDNS version 0 (RFC 6891 §6.1.3)', { skip }, async () => {
  const r = await dig(
    port,
    'my-svc.default.svc.cluster.local',
    'A',
    '+norec',
    '+edns=1',
    '+noednsnegotiation',
  );
  assert.equal(r.status, 'BADVERS');
  assert.match(r.edns ?? '', /version: 0/);
  assert.deepEqual(r.answer, []);
});

test('dig: a swapped-in zone answers the next query (the lab feeds updates)', { skip }, async () => {
  const before = await dig(port, 'late.default.svc.cluster.local', 'A', '+norec');
  assert.equal(before.status, 'NXDOMAIN');
  zone = fixtureZone([
    { name: 'late.default.svc.cluster.local.', ttl: 5, data: { type: 'A', address: '10.96.7.7' } },
  ]);
  try {
    const r = await dig(port, 'late.default.svc.cluster.local', 'A', '+norec');
    assert.deepEqual(r.answer, ['late.default.svc.cluster.local. 5 IN A 10.96.7.7']);
  } finally {
    zone = fixtureZone();
  }
});

test('server: several listen addresses each get their own port, and both answer', { skip }, async () => {
  const two = await startDNSServer({
    zone: () => zone,
    listen: [
      { address: '127.0.0.1', port: 0 },
      { address: '127.0.0.1', port: 0 },
    ],
  });
  try {
    const [a, b] = two.addresses;
    assert.notEqual(a.port, b.port);
    for (const p of [a.port, b.port]) {
      assert.equal((await dig(p, 'my-svc.default.svc.cluster.local', 'A', '+norec')).status, 'NOERROR');
    }
  } finally {
    await two.close();
  }
});

test('server: a port already taken is an error, and close() frees the port for a new server', async () => {
  await assert.rejects(startDNSServer({ zone: () => zone, listen: [{ address: '127.0.0.1', port }] }), {
    code: 'EADDRINUSE',
  });
  const first = await startDNSServer({ zone: () => zone, listen: [{ address: '127.0.0.1', port: 0 }] });
  const taken = first.addresses[0].port;
  await first.close();
  await first.close();
  const again = await startDNSServer({ zone: () => zone, listen: [{ address: '127.0.0.1', port: taken }] });
  assert.equal(again.addresses[0].port, taken);
  await again.close();
});

const BAD_OPTIONS: { rule: string; listen: { address: string; port: number }[]; maxUDPPayload?: number }[] = [
  { rule: 'no listen address', listen: [] },
  { rule: 'a host name instead of an address', listen: [{ address: 'localhost', port: 0 }] },
  { rule: 'a port above 65535', listen: [{ address: '127.0.0.1', port: 65536 }] },
  {
    rule: 'a UDP payload below 512 (RFC 6891 §6.2.5)',
    listen: [{ address: '127.0.0.1', port: 0 }],
    maxUDPPayload: 100,
  },
];

for (const c of BAD_OPTIONS) {
  test(`server: refuses to start with ${c.rule}`, async () => {
    await assert.rejects(
      startDNSServer({ zone: () => zone, listen: c.listen, maxUDPPayload: c.maxUDPPayload }),
      {
        name: 'PodnetError',
        code: 'InvalidUsage',
      },
    );
  });
}
