import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnswerCache, answerVariant } from '../../src/dns/server-cache.js';
import { Responder } from '../../src/dns/server-respond.js';
import type { RRType, ZoneAnswer } from '../../src/dns/types.js';
import { decodeQuery, FLAG_TC, RCODE } from '../../src/dns/wire.js';
import { decodeMessage, encodeQuery, type QueryOptions } from '../../src/dns/wire-message.js';
import type { ClusterZone } from '../../src/dns/zone.js';
import { fixtureZone, HEADLESS } from './server-fixtures.js';

const NO_CACHE = { maxEntries: 0, maxBytes: 0 };

/** A zone that counts its lookups. */
function counted(base = fixtureZone()): { zone: ClusterZone; lookups: () => number } {
  let n = 0;
  return {
    zone: {
      ...base,
      lookup: (name: string, type: RRType | number) => {
        n++;
        return base.lookup(name, type);
      },
    },
    lookups: () => n,
  };
}

function responder(zone: () => ClusterZone, cache = true, errors: unknown[] = []): Responder {
  return new Responder({
    zone,
    maxUDPPayload: 1232,
    onError: (e) => errors.push(e),
    cacheLimits: cache ? undefined : NO_CACHE,
  });
}

function respond(r: Responder, q: Uint8Array, tcp: boolean): Buffer {
  const out = r.respond(q, tcp);
  assert.ok(out instanceof Buffer, 'a response, at once');
  return out;
}

/** Spells a name in alternating case: what a resolver using DNS 0x20 randomisation sends. */
function mixedCase(name: string, phase: number): string {
  return [...name].map((c, i) => ((i + phase) % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
}

const QUESTIONS: { what: string; name: string; type: RRType | number }[] = [
  { what: 'A', name: 'my-svc.default.svc.cluster.local.', type: 'A' },
  { what: 'AAAA', name: 'dual.default.svc.cluster.local.', type: 'AAAA' },
  { what: 'SRV with additional addresses', name: '_web._tcp.nginx.default.svc.cluster.local.', type: 'SRV' },
  { what: 'PTR', name: '11.0.96.10.in-addr.arpa.', type: 'PTR' },
  { what: 'CNAME', name: 'ext.default.svc.cluster.local.', type: 'A' },
  { what: 'NXDOMAIN', name: 'nope.default.svc.cluster.local.', type: 'A' },
  { what: 'NODATA', name: 'my-svc.default.svc.cluster.local.', type: 'TXT' },
  { what: 'NODATA, unknown type code', name: 'my-svc.default.svc.cluster.local.', type: 65 },
  { what: 'REFUSED outside the zone', name: 'example.com.', type: 'A' },
  { what: 'REFUSED zone transfer', name: 'cluster.local.', type: 252 },
  { what: '60 addresses: TC over UDP without EDNS', name: HEADLESS, type: 'A' },
];

const SHAPES: { what: string; options: QueryOptions; tcp?: boolean }[] = [
  { what: 'no EDNS', options: {} },
  { what: 'RD', options: { recursionDesired: true } },
  { what: 'EDNS 512', options: { edns: { udpSize: 512 } } },
  { what: 'EDNS 700', options: { edns: { udpSize: 700 } } },
  { what: 'EDNS 1232', options: { edns: { udpSize: 1232 } } },
  { what: 'EDNS 4096, DO', options: { edns: { udpSize: 4096, dnssecOK: true } } },
  { what: 'EDNS version 1 (BADVERS)', options: { edns: { udpSize: 1232, version: 1 } } },
  { what: 'TCP', options: {}, tcp: true },
  { what: 'TCP with EDNS and RD', options: { edns: { udpSize: 1232 }, recursionDesired: true }, tcp: true },
];

test('answer cache: a cached response is byte for byte the encoded one but for the ID, across types, rcodes, EDNS sizes, TC, TCP, RD and case (RFC 1035 §4.1.1, RFC 4343)', () => {
  const { zone, lookups } = counted();
  const cached = responder(() => zone);
  const uncached = responder(() => fixtureZone(), false);
  let id = 1;
  let firstPass = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const q of QUESTIONS) {
      for (const shape of SHAPES) {
        // Every spelling and ID of a question shares one entry; each must come back as its own.
        for (const phase of [0, 1]) {
          const name = mixedCase(q.name, phase + pass);
          const query = encodeQuery(name, q.type, { ...shape.options, id: id++ });
          const tcp = shape.tcp ?? false;
          const expected = respond(uncached, query, tcp);
          const got = respond(cached, query, tcp);
          assert.deepEqual(got, expected, `${q.what}, ${shape.what}, ${name}`);
        }
      }
    }
    if (pass === 0) firstPass = lookups();
  }
  assert.ok(firstPass > 0);
  assert.equal(lookups(), firstPass, 'the second pass asks the zone nothing');
  const tc = decodeMessage(respond(cached, encodeQuery(HEADLESS, 'A'), false));
  assert.equal(tc.flags & FLAG_TC, FLAG_TC, 'the mix includes a truncated answer');
});

test('answer cache: the answer keeps the spelling of the question it answers, not of the one that filled the cache (RFC 4343 §4.1)', () => {
  const zone = fixtureZone();
  const r = responder(() => zone);
  respond(r, encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 1 }), false);
  const m = decodeMessage(
    respond(r, encodeQuery('MY-SVC.Default.svc.cluster.local.', 'A', { id: 2 }), false),
  );
  assert.equal(m.id, 2);
  assert.equal(m.question[0].name, 'MY-SVC.Default.svc.cluster.local.');
  assert.deepEqual(
    m.answers.map((a) => a.data),
    [{ type: 'A', address: '10.96.0.11' }],
  );
});

test('answer cache: a new zone object empties it, so a swapped zone answers at once', () => {
  let zone = fixtureZone();
  const r = responder(() => zone);
  const q = encodeQuery('new.default.svc.cluster.local.', 'A');
  assert.equal(decodeMessage(respond(r, q, false)).rcode, RCODE.NXDOMAIN);
  assert.equal(decodeMessage(respond(r, q, false)).rcode, RCODE.NXDOMAIN);
  zone = fixtureZone([
    { name: 'new.default.svc.cluster.local.', ttl: 5, data: { type: 'A', address: '10.96.0.99' } },
  ]);
  assert.equal(decodeMessage(respond(r, q, false)).answers.length, 1);
});

test('answer cache: failures are not cached: a zone that throws or a record the wire cannot carry is SERVFAIL and reported every time', () => {
  const bad: ZoneAnswer = {
    rcode: 'NOERROR',
    authoritative: true,
    answers: [{ name: 'x.cluster.local.', ttl: 5, data: { type: 'A', address: 'not-an-ip' } }],
    authority: [],
    additional: [],
  };
  const errors: unknown[] = [];
  let throws = true;
  const zone: ClusterZone = {
    ...fixtureZone(),
    lookup: () => {
      if (throws) throw new Error('zone broke');
      return bad;
    },
  };
  const r = responder(() => zone, true, errors);
  const q = encodeQuery('x.cluster.local.', 'A');
  for (const expected of ['zone broke', 'zone broke']) {
    assert.equal(decodeMessage(respond(r, q, false)).rcode, RCODE.SERVFAIL);
    assert.equal((errors.at(-1) as Error).message, expected);
  }
  throws = false;
  for (let i = 0; i < 2; i++) assert.equal(decodeMessage(respond(r, q, false)).rcode, RCODE.SERVFAIL);
  assert.equal(errors.length, 4);
  assert.equal((errors[3] as Error).name, 'WireError');
});

test('answer cache: bounded by entries, the oldest name evicted first', () => {
  const cache = new AnswerCache({ maxEntries: 3, maxBytes: 1 << 20 });
  const response = Buffer.alloc(40, 1);
  for (const name of ['a.', 'b.', 'c.', 'd.', 'e.']) cache.put(name, 1, response);
  assert.equal(cache.size, 3);
  assert.deepEqual(
    ['a.', 'b.', 'c.', 'd.', 'e.'].map((n) => cache.get(n, 1) !== undefined),
    [false, false, true, true, true],
  );
  const kept = cache.get('e.', 1);
  assert.ok(kept);
  assert.equal(kept.readUInt16BE(0), 0, 'stored with the ID zeroed');
});

test('answer cache: bounded by bytes; an answer larger than the whole budget is not kept', () => {
  const cache = new AnswerCache({ maxEntries: 1000, maxBytes: 1000 });
  for (let i = 0; i < 50; i++) cache.put(`n${i}.`, 1, Buffer.alloc(100));
  assert.ok(cache.size > 0 && cache.size <= 6, `${cache.size} entries of ~170 octets in 1000`);
  cache.put('huge.', 1, Buffer.alloc(2000));
  assert.equal(cache.get('huge.', 1), undefined);
});

test('answer cache: a flood of distinct names (random subdomains) never grows it past its bound', () => {
  const limits = { maxEntries: 500, maxBytes: 1 << 20 };
  const cache = new AnswerCache(limits);
  const r = responder(() => fixtureZone(), false);
  for (let i = 0; i < 5000; i++) {
    const query = encodeQuery(`x${i.toString(36)}.default.svc.cluster.local.`, 'A', { id: i });
    const d = decodeQuery(query);
    assert.equal(d.kind, 'query');
    cache.put(
      d.query.question.name,
      answerVariant(d.query.question, undefined, 512),
      respond(r, query, false),
    );
    assert.ok(cache.size <= limits.maxEntries);
  }
  assert.equal(cache.size, limits.maxEntries);
});

test('answer cache: one name keeps its 32 newest variants, so asking it with every type code cannot lengthen the scan a hit costs', () => {
  const cache = new AnswerCache({ maxEntries: 1000, maxBytes: 1 << 20 });
  for (let type = 0; type < 100; type++) cache.put('a.cluster.local.', type, Buffer.alloc(40));
  assert.equal(cache.size, 32);
  assert.equal(cache.get('a.cluster.local.', 67), undefined);
  assert.ok(cache.get('a.cluster.local.', 68));
  assert.ok(cache.get('a.cluster.local.', 99));
});

test('answer cache: the variant tells apart what changes the answer octets and nothing else', () => {
  const variant = (options: QueryOptions, limit: number, type: RRType | number = 'A') => {
    const d = decodeQuery(encodeQuery('a.cluster.local.', type, options));
    assert.equal(d.kind, 'query');
    return answerVariant(d.query.question, d.query.edns, limit);
  };
  const base = variant({}, 512);
  assert.equal(variant({ id: 9, recursionDesired: true }, 512), base, 'ID and RD are patched, not keyed');
  const distinct = [
    base,
    variant({}, 512, 'AAAA'),
    variant({}, 65535),
    variant({ edns: { udpSize: 512 } }, 512),
    variant({ edns: { udpSize: 512, dnssecOK: true } }, 512),
    variant({ edns: { udpSize: 512, version: 1 } }, 512),
    variant({ edns: { udpSize: 1232 } }, 1232),
  ];
  assert.equal(new Set(distinct).size, distinct.length);
  assert.equal(
    variant({ edns: { udpSize: 512, version: 2 } }, 512),
    variant({ edns: { udpSize: 512, version: 1 } }, 512),
    'every version but 0 gets the same BADVERS',
  );
});
