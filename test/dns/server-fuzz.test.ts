// Fuzzing the query path: random octets and mutated valid queries. Every message must get a
// well-formed response with its ID or none at all, no exception may escape, and the real server
// must still answer a valid query afterwards. A seeded generator keeps failures reproducible.

import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startDNSServer } from '../../src/dns/server.js';
import { Responder } from '../../src/dns/server-respond.js';
import { decodeQuery, FLAG_QR, udpLimit } from '../../src/dns/wire.js';
import { decodeMessage, encodeQuery } from '../../src/dns/wire-message.js';
import { fixtureZone, HEADLESS } from './server-fixtures.js';

/** mulberry32: a small seeded PRNG, good enough to spread mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A query carrying an answer record with a compressed owner, and an OPT with a cookie option. */
function withRecords(): Buffer {
  const q = encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 7 });
  const header = Buffer.from(q.subarray(0, 12));
  header.writeUInt16BE(1, 6);
  header.writeUInt16BE(1, 10);
  const answer = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 1];
  const opt = [0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 12, 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8];
  return Buffer.concat([header, q.subarray(12), Buffer.from([...answer, ...opt])]);
}

const SEEDS: Buffer[] = [
  encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 1 }),
  encodeQuery('My-Svc.Default.svc.cluster.local.', 'AAAA', { id: 2, edns: { udpSize: 1232 } }),
  encodeQuery(HEADLESS, 'A', { id: 3, edns: { udpSize: 512, dnssecOK: true } }),
  encodeQuery('_web._tcp.nginx.default.svc.cluster.local.', 'SRV', { id: 4, edns: { udpSize: 4096 } }),
  encodeQuery('nope.cluster.local.', 'TXT', { id: 5, edns: { udpSize: 1232, version: 1 } }),
  encodeQuery('example.com.', 'A', { id: 6 }),
  withRecords(),
];

function fuzzMessage(rand: () => number): Buffer {
  const int = (n: number) => Math.floor(rand() * n);
  if (rand() < 0.25) return Buffer.from(Array.from({ length: int(300) }, () => int(256)));
  const m = Buffer.from(SEEDS[int(SEEDS.length)]);
  switch (int(5)) {
    case 0:
      for (let k = 1 + int(4); k > 0; k--) m[int(m.length)] = int(256);
      return m;
    case 1:
      return m.subarray(0, int(m.length));
    case 2:
      return Buffer.concat([m, Buffer.from(Array.from({ length: 1 + int(40) }, () => int(256)))]);
    case 3:
      // Header counts and flags at random: opcodes, QR, counts that lie.
      for (let k = 2; k < 12; k++) if (rand() < 0.4) m[k] = int(256);
      return m;
    default: {
      // A compression pointer or an odd label length dropped anywhere past the header.
      const at = 12 + int(m.length - 12);
      m[at] = rand() < 0.5 ? 0xc0 | int(64) : 0x40 | int(128);
      if (at + 1 < m.length) m[at + 1] = int(256);
      return m;
    }
  }
}

test('fuzz: 20,000 random and mutated queries get a well-formed response with their ID, or none', {
  timeout: 30_000,
}, () => {
  const rand = prng(0x5eed);
  const errors: unknown[] = [];
  const r = new Responder({ zone: () => fixtureZone(), maxUDPPayload: 1232, onError: (e) => errors.push(e) });
  let answered = 0;
  for (let i = 0; i < 20_000; i++) {
    const msg = fuzzMessage(rand);
    const tcp = i % 4 === 0;
    const out = r.respond(msg, tcp);
    assert.ok(!(out instanceof Promise), 'nothing is forwarded without upstreams');
    const decoded = decodeQuery(msg);
    assert.equal(out === undefined, decoded.kind === 'drop', `iteration ${i}: ${msg.toString('hex')}`);
    if (!out || decoded.kind === 'drop') continue;
    answered++;
    const body = tcp ? out.subarray(2) : out;
    if (tcp) assert.equal(out.readUInt16BE(0), body.length);
    else
      assert.ok(
        body.length <= udpLimit(decoded.query.edns, 1232),
        `iteration ${i}: ${body.length} octets over UDP`,
      );
    const m = decodeMessage(body);
    assert.equal(m.id, msg.readUInt16BE(0));
    assert.equal(m.flags & FLAG_QR, FLAG_QR);
  }
  assert.deepEqual(errors, []);
  assert.ok(answered > 10_000, `${answered} answered`);
});

test('fuzz: the running server survives hostile UDP and TCP traffic and still answers', {
  timeout: 30_000,
}, async () => {
  const errors: unknown[] = [];
  const server = await startDNSServer({
    zone: () => fixtureZone(),
    listen: [{ address: '127.0.0.1', port: 0 }],
    onError: (e) => errors.push(e),
  });
  const port = server.addresses[0].port;
  const udp = createSocket('udp4');
  try {
    const rand = prng(0xfadedbad);
    for (let i = 0; i < 3000; i++) {
      udp.send(fuzzMessage(rand), port, '127.0.0.1');
      if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (let c = 0; c < 5; c++) {
      const socket = connect({ host: '127.0.0.1', port });
      await once(socket, 'connect');
      socket.on('error', () => {});
      const frames = Array.from({ length: 50 }, () => {
        const m = fuzzMessage(rand);
        const f = Buffer.alloc(m.length + 2);
        f.writeUInt16BE(rand() < 0.9 ? m.length : Math.floor(rand() * 65536), 0);
        m.copy(f, 2);
        return f;
      });
      socket.end(Buffer.concat(frames));
      socket.resume();
      await once(socket, 'close');
    }
    const client = createSocket('udp4');
    try {
      client.send(encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 4242 }), port, '127.0.0.1');
      const [reply] = await once(client, 'message');
      const m = decodeMessage(reply as Buffer);
      assert.equal(m.id, 4242);
      assert.equal(m.answers[0]?.data?.type, 'A');
    } finally {
      client.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    udp.close();
    await server.close();
  }
});
