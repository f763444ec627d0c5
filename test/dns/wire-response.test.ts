import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceRecord } from '../../src/dns/types.js';
import {
  type Decoded,
  decodeQuery,
  FLAG_AA,
  FLAG_QR,
  FLAG_RA,
  FLAG_RD,
  FLAG_TC,
  type QueryHeader,
  RCODE,
  type Reply,
  ResponseEncoder,
  udpLimit,
} from '../../src/dns/wire.js';
import { decodeMessage, encodeQuery } from '../../src/dns/wire-message.js';
import { HEADLESS, RECORDS, SOA } from './server-fixtures.js';
import { header, labels, msg, QUESTION } from './wire-bytes.js';

function queryOf(bytes: Uint8Array): QueryHeader {
  const d = decodeQuery(bytes);
  assert.notEqual(d.kind, 'drop');
  return (d as Exclude<Decoded, { kind: 'drop' }>).query;
}

function reply(answers: readonly ResourceRecord[], extra: Partial<Reply> = {}): Reply {
  return {
    rcode: 0,
    authoritative: true,
    recursionAvailable: false,
    answers,
    authority: [],
    additional: [],
    ...extra,
  };
}

function respond(q: Uint8Array, r: Reply, limit = 65535, encoder = new ResponseEncoder()): Buffer {
  const n = encoder.encode(q, queryOf(q), r, limit);
  return Buffer.from(encoder.buffer.subarray(0, n));
}

const byName = (name: string) => RECORDS.filter((r) => r.name === name);
const strip = (rs: readonly { name: string; ttl: number; data: unknown }[]) =>
  rs.map(({ name, ttl, data }) => ({ name, ttl, data }));

test('response: every record type round-trips through encode and decode (RFC 1035 §3.3, RFC 3596, RFC 2782)', () => {
  const q = encodeQuery('anything.cluster.local.', 'A', { edns: { udpSize: 1232 } });
  const records = RECORDS.filter((r) => r.name !== HEADLESS);
  const m = decodeMessage(
    respond(
      q,
      reply(records, { authority: [SOA], additional: byName('web-0.nginx.default.svc.cluster.local.') }),
    ),
  );
  assert.deepEqual(strip(m.answers), strip(records));
  assert.deepEqual(strip(m.authority), [SOA]);
  assert.deepEqual(strip(m.additional), strip(byName('web-0.nginx.default.svc.cluster.local.')));
  assert.deepEqual(
    new Set(records.map((r) => r.data.type)),
    new Set(['SOA', 'NS', 'TXT', 'A', 'AAAA', 'SRV', 'CNAME', 'PTR']),
  );
});

test('response: header copies ID, opcode and RD; sets QR and AA; leaves RA, AD and CD clear (RFC 1035 §4.1.1, Knot DNS)', () => {
  const q = encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 0xbeef, recursionDesired: true });
  q[3] |= 0x30; // AD and CD set in the query
  const r = respond(q, reply(byName('my-svc.default.svc.cluster.local.')));
  assert.equal(r.readUInt16BE(0), 0xbeef);
  assert.equal(r.readUInt16BE(2), FLAG_QR | FLAG_AA | FLAG_RD);
  const nonAuth = respond(
    q,
    reply([], { authoritative: false, rcode: RCODE.REFUSED, recursionAvailable: true }),
  );
  assert.equal(nonAuth.readUInt16BE(2), FLAG_QR | FLAG_RD | FLAG_RA | RCODE.REFUSED);
});

test('response: the question is echoed in the client case, and the answer owner points at it (RFC 1035 §4.1.4, RFC 4343)', () => {
  const q = encodeQuery('My-SVC.default.svc.Cluster.Local.', 'A');
  const r = respond(q, reply(byName('my-svc.default.svc.cluster.local.')));
  const qend = q.length;
  assert.deepEqual(r.subarray(12, qend), q.subarray(12, qend));
  assert.deepEqual([...r.subarray(qend, qend + 2)], [0xc0, 12]);
  // 12 header + question + (pointer 2 + 10 fixed + 4 address).
  assert.equal(r.length, qend + 16);
});

test('response: SOA owner and data names compress into the question; the message still decodes (RFC 1035 §4.1.4)', () => {
  const q = encodeQuery('nope.default.svc.cluster.local.', 'A');
  const r = respond(q, reply([], { rcode: RCODE.NXDOMAIN, authority: [SOA] }));
  const m = decodeMessage(r);
  assert.deepEqual(strip(m.authority), [SOA]);
  // owner: pointer (2); mname "ns.dns" + pointer (2+3+4); rname "hostmaster" + pointer (11+2).
  assert.equal(r.length, q.length + 2 + 10 + (2 + 3 + 4) + (11 + 2) + 20);
  assert.equal(m.rcode, RCODE.NXDOMAIN);
});

test('response: SRV targets are written in full, and additional owners point at them (RFC 2782, RFC 1035 §4.1.4)', () => {
  const srv = byName('_web._tcp.nginx.default.svc.cluster.local.');
  const glue = [
    ...byName('web-0.nginx.default.svc.cluster.local.'),
    ...byName('web-1.nginx.default.svc.cluster.local.'),
  ];
  const q = encodeQuery('_web._tcp.nginx.default.svc.cluster.local.', 'SRV');
  const r = respond(q, reply(srv, { additional: glue }));
  const firstTarget = r.indexOf(Buffer.from([5, ...Buffer.from('web-0'), 5, ...Buffer.from('nginx'), 7]));
  assert.ok(firstTarget > q.length, 'the SRV target starts with full labels');
  const target = Buffer.from(labels('web-0', 'nginx', 'default', 'svc', 'cluster', 'local'));
  assert.ok(r.includes(target), 'the whole target is written as labels, no pointer');
  const m = decodeMessage(r);
  assert.deepEqual(strip(m.answers), strip(srv));
  assert.deepEqual(strip(m.additional), strip(glue));
  // Each additional owner is a 2-octet pointer to its SRV target.
  assert.equal(r.length, q.length + 2 * (2 + 10 + 6 + target.length) + 2 * (2 + 10 + 4));
});

test('response: an OPT record answers an OPT record, with the server size, DO copied, version 0 (RFC 6891 §7, RFC 3225)', () => {
  const withEdns = encodeQuery('my-svc.default.svc.cluster.local.', 'A', {
    edns: { udpSize: 4096, dnssecOK: true },
  });
  const m = decodeMessage(respond(withEdns, reply([]), 65535, new ResponseEncoder(1232)));
  assert.deepEqual(m.edns, { udpSize: 1232, version: 0, dnssecOK: true });
  const without = decodeMessage(respond(encodeQuery('my-svc.default.svc.cluster.local.', 'A'), reply([])));
  assert.equal(without.edns, undefined);
});

test('response: BADVERS is the extended RCODE 16, carried by the OPT record (RFC 6891 §6.1.3)', () => {
  const q = encodeQuery('my-svc.default.svc.cluster.local.', 'A', { edns: { udpSize: 1232, version: 1 } });
  const r = respond(q, reply([], { rcode: RCODE.BADVERS, authoritative: false }));
  assert.equal(r[3] & 0xf, 0);
  const m = decodeMessage(r);
  assert.equal(m.rcode, 16);
  assert.equal(m.edns?.version, 0);
  // Without an OPT record an extended RCODE cannot be expressed: SERVFAIL (as Knot DNS does).
  const plain = encodeQuery('my-svc.default.svc.cluster.local.', 'A');
  assert.equal(decodeMessage(respond(plain, reply([], { rcode: RCODE.BADVERS }))).rcode, RCODE.SERVFAIL);
});

test('response: answers that do not fit set TC and carry no records, only header, question and OPT (RFC 2181 §9, Knot DNS)', () => {
  const q = encodeQuery(HEADLESS, 'A', { edns: { udpSize: 512 } });
  const full = respond(q, reply(byName(HEADLESS)));
  assert.ok(full.length > 512);
  const r = respond(q, reply(byName(HEADLESS)), 512);
  const m = decodeMessage(r);
  assert.equal(m.flags & FLAG_TC, FLAG_TC);
  assert.equal(m.flags & FLAG_AA, FLAG_AA);
  assert.equal(m.answers.length, 0);
  assert.equal(m.question.length, 1);
  assert.ok(m.edns);
  assert.equal(r.length, q.length);
});

test('response: a message of exactly the limit is not truncated; one octet less is (RFC 1035 §4.2.1)', () => {
  const q = encodeQuery(HEADLESS, 'A');
  const size = respond(q, reply(byName(HEADLESS))).length;
  assert.equal(respond(q, reply(byName(HEADLESS)), size).length, size);
  assert.equal(decodeMessage(respond(q, reply(byName(HEADLESS)), size)).flags & FLAG_TC, 0);
  assert.equal(decodeMessage(respond(q, reply(byName(HEADLESS)), size - 1)).flags & FLAG_TC, FLAG_TC);
});

test('response: additional RRsets that do not fit are left out whole, without TC (RFC 2181 §9)', () => {
  const q = encodeQuery('_web._tcp.nginx.default.svc.cluster.local.', 'SRV');
  const srv = byName('_web._tcp.nginx.default.svc.cluster.local.');
  const glue = [
    ...byName('web-0.nginx.default.svc.cluster.local.'),
    ...byName('web-1.nginx.default.svc.cluster.local.'),
  ];
  const answersOnly = respond(q, reply(srv)).length;
  const oneGlue = answersOnly + 16;
  const m = decodeMessage(respond(q, reply(srv, { additional: glue }), oneGlue + 15));
  assert.equal(m.flags & FLAG_TC, 0);
  assert.deepEqual(strip(m.additional), strip(glue.slice(0, 1)));
  // Two records of one RRset (21 and 16 octets): both or neither.
  const rrset = glue.map((g) => ({ ...g, name: 'pair.cluster.local.' }));
  assert.equal(respond(q, reply(srv, { additional: rrset })).length, answersOnly + 37);
  const none = decodeMessage(respond(q, reply(srv, { additional: rrset }), answersOnly + 36));
  assert.equal(none.flags & FLAG_TC, 0);
  assert.deepEqual(none.additional, []);
});

test('response: a FORMERR for a message whose question parsed echoes it; otherwise the header alone', () => {
  const trailing = msg(header([1, 0, 0, 0]), QUESTION, [0]);
  const m = decodeMessage(respond(trailing, reply([], { rcode: RCODE.FORMERR, authoritative: false })));
  assert.equal(m.rcode, RCODE.FORMERR);
  assert.deepEqual(m.question, [{ name: 'my-svc.default.svc.cluster.local.', type: 1, class: 1 }]);
  const noQuestion = msg(header([2, 0, 0, 0]), QUESTION, QUESTION);
  const bare = respond(noQuestion, reply([], { rcode: RCODE.FORMERR, authoritative: false }));
  assert.equal(bare.length, 12);
  assert.equal(bare.readUInt16BE(4), 0);
});

test('response: the encoder buffer is reused; earlier results are unaffected once copied', () => {
  const encoder = new ResponseEncoder();
  const first = respond(
    encodeQuery('my-svc.default.svc.cluster.local.', 'A'),
    reply(byName('my-svc.default.svc.cluster.local.')),
    65535,
    encoder,
  );
  const copy = Buffer.from(first);
  respond(encodeQuery(HEADLESS, 'A'), reply(byName(HEADLESS)), 65535, encoder);
  assert.deepEqual(first, copy);
});

const BAD_DATA: { rule: string; record: ResourceRecord; code: string }[] = [
  {
    rule: 'label over 63 octets',
    record: { name: `${'a'.repeat(64)}.cluster.local.`, ttl: 5, data: { type: 'A', address: '10.0.0.1' } },
    code: 'InvalidName',
  },
  {
    rule: 'name not fully qualified',
    record: { name: 'cluster.local', ttl: 5, data: { type: 'A', address: '10.0.0.1' } },
    code: 'InvalidName',
  },
  {
    rule: 'empty label',
    record: { name: 'a..local.', ttl: 5, data: { type: 'A', address: '10.0.0.1' } },
    code: 'InvalidName',
  },
  {
    rule: 'space in a label',
    record: { name: 'a b.local.', ttl: 5, data: { type: 'A', address: '10.0.0.1' } },
    code: 'InvalidName',
  },
  {
    rule: 'name over 255 octets',
    record: { name: `${'a.'.repeat(128)}`, ttl: 5, data: { type: 'A', address: '10.0.0.1' } },
    code: 'InvalidName',
  },
  {
    rule: 'A with an IPv6 address',
    record: { name: 'x.local.', ttl: 5, data: { type: 'A', address: 'fd00::1' } },
    code: 'InvalidData',
  },
  {
    rule: 'AAAA with garbage',
    record: { name: 'x.local.', ttl: 5, data: { type: 'AAAA', address: 'nope' } },
    code: 'InvalidData',
  },
  {
    rule: 'negative TTL',
    record: { name: 'x.local.', ttl: -1, data: { type: 'A', address: '10.0.0.1' } },
    code: 'InvalidData',
  },
  {
    rule: 'SRV port above 65535',
    record: {
      name: 'x.local.',
      ttl: 5,
      data: { type: 'SRV', priority: 0, weight: 0, port: 70000, target: 'y.local.' },
    },
    code: 'InvalidData',
  },
  {
    rule: 'TXT string over 255 octets',
    record: { name: 'x.local.', ttl: 5, data: { type: 'TXT', text: ['x'.repeat(256)] } },
    code: 'InvalidData',
  },
];

for (const c of BAD_DATA) {
  test(`response: a zone record with ${c.rule} is refused by the encoder (RFC 1035 §2.3.4, §3.3)`, () => {
    const q = encodeQuery('x.local.', 'A');
    assert.throws(() => respond(q, reply([c.record])), { name: 'WireError', code: c.code });
  });
}

test('EDNS: the UDP limit is 512 without EDNS, else the client size between 512 and the server maximum (RFC 6891 §6.2.5)', () => {
  assert.equal(udpLimit(undefined, 1232), 512);
  assert.equal(udpLimit({ udpSize: 100, version: 0, dnssecOK: false }, 1232), 512);
  assert.equal(udpLimit({ udpSize: 1000, version: 0, dnssecOK: false }, 1232), 1000);
  assert.equal(udpLimit({ udpSize: 4096, version: 0, dnssecOK: false }, 1232), 1232);
});
