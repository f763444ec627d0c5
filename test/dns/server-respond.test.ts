import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Responder } from '../../src/dns/server-respond.js';
import type { ResourceRecord, ZoneAnswer } from '../../src/dns/types.js';
import { FLAG_AA, FLAG_RA, FLAG_TC, RCODE } from '../../src/dns/wire.js';
import { decodeMessage, encodeQuery } from '../../src/dns/wire-message.js';
import type { ClusterZone } from '../../src/dns/zone.js';
import { fixtureZone, HEADLESS, HEADLESS_SIZE } from './server-fixtures.js';

function responder(zone: ClusterZone = fixtureZone(), maxUDPPayload = 1232) {
  const errors: unknown[] = [];
  const r = new Responder({ zone: () => zone, maxUDPPayload, onError: (e) => errors.push(e) });
  return { r, errors };
}

function ask(r: Responder, bytes: Uint8Array, tcp = false) {
  const out = r.respond(bytes, tcp);
  assert.ok(out instanceof Buffer, 'a response, at once');
  return decodeMessage(tcp ? out.subarray(2) : out);
}

test('server: an A query is answered from the zone, authoritative, without recursion (Kubernetes DNS spec §2.3.1)', () => {
  const { r } = responder();
  const m = ask(r, encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 9, recursionDesired: true }));
  assert.equal(m.id, 9);
  assert.equal(m.rcode, RCODE.NOERROR);
  assert.equal(m.flags & FLAG_AA, FLAG_AA);
  assert.equal(m.flags & FLAG_RA, 0);
  assert.deepEqual(
    m.answers.map((a) => a.data),
    [{ type: 'A', address: '10.96.0.11' }],
  );
});

test('server: names outside the cluster zone are REFUSED, not authoritative, with no records (CoreDNS without forward)', () => {
  const { r } = responder();
  for (const [name, qclass] of [
    ['example.com.', 1],
    ['version.bind.', 3],
  ] as const) {
    const m = ask(r, withClass(encodeQuery(name, 'TXT'), qclass));
    assert.equal(m.rcode, RCODE.REFUSED, name);
    assert.equal(m.flags & FLAG_AA, 0);
    assert.equal(m.answers.length + m.authority.length + m.additional.length, 0);
  }
});

test('server: unknown types are looked up by their code: NOERROR with no data and the SOA (RFC 3597, RFC 2308)', () => {
  const types: (string | number)[] = [];
  const base = fixtureZone();
  const zone: ClusterZone = {
    ...base,
    lookup: (n, t) => {
      types.push(t);
      return base.lookup(n, t);
    },
  };
  const { r } = responder(zone);
  const m = ask(r, encodeQuery('my-svc.default.svc.cluster.local.', 65));
  assert.deepEqual(types, [65]);
  assert.equal(m.rcode, RCODE.NOERROR);
  assert.equal(m.answers.length, 0);
  assert.equal(m.authority[0]?.data?.type, 'SOA');
});

const REFUSALS: { rule: string; query: Buffer }[] = [
  {
    rule: 'class CH (Knot DNS answers only IN and ANY from zones)',
    query: withClass(encodeQuery('my-svc.default.svc.cluster.local.', 'A'), 3),
  },
  { rule: 'class NONE', query: withClass(encodeQuery('my-svc.default.svc.cluster.local.', 'A'), 254) },
  { rule: 'AXFR (zone transfers are not offered)', query: encodeQuery('cluster.local.', 252) },
  { rule: 'IXFR (zone transfers are not offered)', query: encodeQuery('cluster.local.', 251) },
];

function withClass(q: Buffer, qclass: number): Buffer {
  q.writeUInt16BE(qclass, q.length - 2);
  return q;
}

for (const c of REFUSALS) {
  test(`server: REFUSED for ${c.rule}`, () => {
    const { r } = responder();
    assert.equal(ask(r, c.query).rcode, RCODE.REFUSED);
  });
}

test('server: class ANY is answered like IN (Knot DNS)', () => {
  const { r } = responder();
  const m = ask(r, withClass(encodeQuery('my-svc.default.svc.cluster.local.', 'A'), 255));
  assert.equal(m.answers.length, 1);
});

test('server: EDNS version 1 gets BADVERS with an OPT record of version 0 (RFC 6891 §6.1.3)', () => {
  const { r } = responder();
  const m = ask(
    r,
    encodeQuery('my-svc.default.svc.cluster.local.', 'A', { edns: { udpSize: 1232, version: 1 } }),
  );
  assert.equal(m.rcode, RCODE.BADVERS);
  assert.equal(m.edns?.version, 0);
  assert.equal(m.answers.length, 0);
});

test('server: a query that is not a query gets no response; a bad one gets FORMERR or NOTIMP with its ID', () => {
  const { r } = responder();
  const q = encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 77 });
  const response = Buffer.from(q);
  response[2] |= 0x80;
  assert.equal(r.respond(response, false), undefined);
  assert.equal(r.respond(q.subarray(0, 5), false), undefined);
  const formerr = ask(r, Buffer.concat([q, Buffer.from([1, 2, 3])]));
  assert.equal(formerr.rcode, RCODE.FORMERR);
  assert.equal(formerr.id, 77);
  const notify = Buffer.from(q);
  notify[2] |= 4 << 3;
  const notimp = ask(r, notify);
  assert.equal(notimp.rcode, RCODE.NOTIMP);
  assert.equal((notimp.flags >> 11) & 0xf, 4, 'opcode copied (RFC 1035 §4.1.1)');
});

test('server: over UDP the response fits 512 octets without EDNS, else the client size capped by the server (RFC 6891 §6.2.5)', () => {
  const { r } = responder();
  const plain = ask(r, encodeQuery(HEADLESS, 'A'));
  assert.equal(plain.flags & FLAG_TC, FLAG_TC);
  const edns = ask(r, encodeQuery(HEADLESS, 'A', { edns: { udpSize: 1232 } }));
  assert.equal(edns.flags & FLAG_TC, 0);
  assert.equal(edns.answers.length, HEADLESS_SIZE);
  // 100 records need about 1.7 KB: over the 1232 cap unless the server allows more.
  const many: ResourceRecord[] = Array.from({ length: 100 }, (_, i) => ({
    name: 'many.cluster.local.',
    ttl: 5,
    data: { type: 'A', address: `10.0.0.${i}` },
  }));
  const big = fixtureZone(many);
  const q = encodeQuery('many.cluster.local.', 'A', { edns: { udpSize: 4096 } });
  assert.equal(ask(responder(big).r, q).flags & FLAG_TC, FLAG_TC);
  assert.equal(ask(responder(big, 4096).r, q).answers.length, 100);
});

test('server: over TCP the whole answer comes back with its 2-octet length (RFC 1035 §4.2.2, RFC 7766)', () => {
  const { r } = responder();
  const out = r.respond(encodeQuery(HEADLESS, 'A'), true);
  assert.ok(out instanceof Buffer);
  assert.equal(out.readUInt16BE(0), out.length - 2);
  assert.equal(decodeMessage(out.subarray(2)).answers.length, HEADLESS_SIZE);
});

test('server: a failing zone lookup is SERVFAIL, reported, and the next query is answered (CoreDNS: errors never crash)', () => {
  let fail = true;
  const base = fixtureZone();
  const zone: ClusterZone = {
    ...base,
    lookup: (n, t) => {
      if (fail) throw new Error('zone broke');
      return base.lookup(n, t);
    },
  };
  const { r, errors } = responder(zone);
  const q = encodeQuery('my-svc.default.svc.cluster.local.', 'A');
  assert.equal(ask(r, q).rcode, RCODE.SERVFAIL);
  assert.equal((errors[0] as Error).message, 'zone broke');
  fail = false;
  assert.equal(ask(r, q).rcode, RCODE.NOERROR);
});

test('server: a record the wire cannot carry is SERVFAIL and reported, not a crash', () => {
  const bad: ZoneAnswer = {
    rcode: 'NOERROR',
    authoritative: true,
    answers: [{ name: 'x.cluster.local.', ttl: 5, data: { type: 'A', address: 'not-an-ip' } }],
    authority: [],
    additional: [],
  };
  const { r, errors } = responder({ ...fixtureZone(), lookup: () => bad });
  assert.equal(ask(r, encodeQuery('x.cluster.local.', 'A')).rcode, RCODE.SERVFAIL);
  assert.equal((errors[0] as Error).name, 'WireError');
});

test('server: the zone getter is read for every query, so a swapped zone answers at once', () => {
  let zone = fixtureZone();
  const r = new Responder({ zone: () => zone, maxUDPPayload: 1232, onError: () => {} });
  const q = encodeQuery('new.default.svc.cluster.local.', 'A');
  assert.equal(ask(r, q).rcode, RCODE.NXDOMAIN);
  zone = fixtureZone([
    { name: 'new.default.svc.cluster.local.', ttl: 5, data: { type: 'A', address: '10.96.0.99' } },
  ]);
  assert.equal(ask(r, q).answers.length, 1);
});
