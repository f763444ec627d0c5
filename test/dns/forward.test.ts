import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import { ForwardError } from '../../src/dns/forward.js';
import { type DNSServer, type DNSServerOptions, startDNSServer } from '../../src/dns/server.js';
import { FrameReader } from '../../src/dns/server-tcp.js';
import { FLAG_AA, FLAG_QR, FLAG_RD, FLAG_TC, RCODE } from '../../src/dns/wire.js';
import { type DecodedMessage, decodeMessage, encodeQuery } from '../../src/dns/wire-message.js';
import {
  closedPort,
  handMadeUpstream,
  MANY,
  podnetUpstream,
  type Upstream,
  WWW,
} from './forward-fixtures.js';
import { dig, digUnavailable } from './server-dig.js';
import { fixtureZone } from './server-fixtures.js';

const LOOPBACK = '127.0.0.1';

/** A cluster DNS server for `cluster.local.` forwarding to the given upstream ports on 127.0.0.1. */
async function forwarder(
  ports: readonly number[],
  options: Partial<DNSServerOptions> = {},
): Promise<{ server: DNSServer; port: number; errors: unknown[] }> {
  const errors: unknown[] = [];
  const zone = fixtureZone();
  const server = await startDNSServer({
    zone: () => zone,
    listen: [{ address: LOOPBACK, port: 0 }],
    upstreams: ports.map((port) => ({ address: LOOPBACK, port })),
    upstreamTimeoutMs: 300,
    onError: (e) => errors.push(e),
    ...options,
  });
  return { server, port: server.addresses[0].port, errors };
}

/** One query over UDP from 127.0.0.1; fails after 5 s without a response. */
async function askUDP(port: number, query: Buffer): Promise<DecodedMessage> {
  const socket = createSocket('udp4');
  try {
    socket.send(query, port, LOOPBACK);
    const [reply] = (await once(socket, 'message', { signal: AbortSignal.timeout(5000) })) as [Buffer];
    return decodeMessage(reply);
  } finally {
    socket.close();
  }
}

/** One query over TCP to 127.0.0.1. */
async function askTCP(port: number, query: Buffer): Promise<DecodedMessage> {
  const socket = connect({ host: LOOPBACK, port });
  try {
    const frame = Buffer.alloc(query.length + 2);
    frame.writeUInt16BE(query.length, 0);
    query.copy(frame, 2);
    socket.write(frame);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const reader = new FrameReader(resolve);
      socket.on('data', (chunk: Buffer) => reader.push(chunk));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('no TCP response in 5 s')), 5000).unref();
    });
    return decodeMessage(reply);
  } finally {
    socket.destroy();
  }
}

async function closeAll(...things: { close(): Promise<void> }[]): Promise<void> {
  await Promise.all(things.map((t) => t.close()));
}

/** The query as a response: QR set, with `id` and `rcode`. */
function responseTo(query: Buffer, id: number, rcode = 0): Buffer {
  const out = Buffer.from(query);
  out.writeUInt16BE(id, 0);
  out.writeUInt16BE((query.readUInt16BE(2) | FLAG_QR) + rcode, 2);
  return out;
}

test('forward: a name outside the cluster zone is relayed to the upstream, and its response comes back with the client ID and case (CoreDNS forward)', async () => {
  const upstream = await podnetUpstream();
  const { server, port, errors } = await forwarder([upstream.port]);
  try {
    for (const transport of ['UDP', 'TCP'] as const) {
      const query = encodeQuery('Www.Upstream.TEST.', 'A', { id: 0x4321, recursionDesired: true });
      const m = await (transport === 'UDP' ? askUDP : askTCP)(port, query);
      assert.equal(m.id, 0x4321, transport);
      assert.equal(m.rcode, RCODE.NOERROR);
      assert.equal(m.flags & (FLAG_AA | FLAG_RD), FLAG_AA | FLAG_RD, "the upstream's flags, RD copied by it");
      assert.equal(m.question[0].name, 'Www.Upstream.TEST.');
      assert.deepEqual(
        m.answers.map((r) => [r.name, r.data]),
        [[WWW, { type: 'A', address: '192.0.2.1' }]],
      );
    }
    assert.deepEqual(upstream.asked, [WWW, WWW]);
    assert.deepEqual(errors, []);
  } finally {
    await closeAll(server, upstream);
  }
});

test('forward: names of the cluster zones are answered by the server itself and never forwarded', async () => {
  const upstream = await podnetUpstream();
  const { server, port } = await forwarder([upstream.port]);
  try {
    const svc = await askUDP(port, encodeQuery('my-svc.default.svc.cluster.local.', 'A'));
    assert.equal(svc.answers[0]?.data?.type, 'A');
    const nx = await askUDP(port, encodeQuery('nope.default.svc.cluster.local.', 'A'));
    assert.equal(nx.rcode, RCODE.NXDOMAIN);
    const ptr = await askUDP(port, encodeQuery('11.0.96.10.in-addr.arpa.', 'PTR'));
    assert.equal(ptr.answers[0]?.data?.type, 'PTR');
    assert.deepEqual(upstream.asked, []);
  } finally {
    await closeAll(server, upstream);
  }
});

test('forward: over UDP a large answer comes back with TC, and the client retry over TCP is forwarded over TCP (CoreDNS uses the client transport)', async () => {
  const upstream = await podnetUpstream();
  const { server, port } = await forwarder([upstream.port]);
  try {
    const udp = await askUDP(port, encodeQuery(MANY, 'A', { id: 7 }));
    assert.equal(udp.flags & FLAG_TC, FLAG_TC);
    assert.equal(udp.answers.length, 0);
    const tcp = await askTCP(port, encodeQuery(MANY, 'A', { id: 8 }));
    assert.equal(tcp.id, 8);
    assert.equal(tcp.flags & FLAG_TC, 0);
    assert.equal(tcp.answers.length, 100);
  } finally {
    await closeAll(server, upstream);
  }
});

test('forward: a response larger than the client UDP size is cut to header and question with TC (RFC 2181 §9)', async () => {
  // A misbehaving upstream: 600 octets of junk after the question to a 512-octet client.
  const upstream = await handMadeUpstream((q) => [
    Buffer.concat([responseTo(q, q.readUInt16BE(0)), Buffer.alloc(600)]),
  ]);
  const { server, port } = await forwarder([upstream.port]);
  try {
    const m = await askUDP(port, encodeQuery(WWW, 'A', { id: 99 }));
    assert.equal(m.id, 99);
    assert.equal(m.flags & FLAG_TC, FLAG_TC);
    assert.equal(m.question[0].name, WWW);
    assert.equal(m.answers.length + m.authority.length + m.additional.length, 0);
  } finally {
    await closeAll(server, upstream);
  }
});

test('forward: a silent upstream is given up after the timeout and the next is asked; when every one failed, SERVFAIL (CoreDNS read timeout, then the next upstream)', async () => {
  const silent = [await handMadeUpstream(() => []), await handMadeUpstream(() => [])];
  const good = await podnetUpstream();
  const failing = await forwarder(silent.map((u) => u.port));
  const recovering = await forwarder([silent[0].port, good.port]);
  try {
    const m = await askUDP(failing.port, encodeQuery(WWW, 'A', { id: 5 }));
    assert.equal(m.id, 5);
    assert.equal(m.rcode, RCODE.SERVFAIL);
    assert.deepEqual(
      silent.map((u) => u.asked),
      [[WWW], [WWW]],
      'each upstream tried once',
    );
    assert.equal(failing.errors.length, 1);
    const error = failing.errors[0] as ForwardError;
    assert.ok(error instanceof ForwardError);
    assert.match(error.message, /no response within 300 ms.*; .*no response within 300 ms/);
    // Whichever comes first in the random order, the good one answers.
    for (let id = 0; id < 4; id++) {
      const ok = await askUDP(recovering.port, encodeQuery(WWW, 'A', { id }));
      assert.equal(ok.rcode, RCODE.NOERROR);
    }
  } finally {
    await closeAll(failing.server, recovering.server, good, ...silent);
  }
});

test('forward: an upstream where nothing listens (ICMP port unreachable) is passed over at once', async () => {
  const good = await podnetUpstream();
  const dead = await closedPort();
  const { server, port } = await forwarder([dead, good.port], { upstreamTimeoutMs: 60_000 });
  const alone = await forwarder([dead], { upstreamTimeoutMs: 60_000 });
  try {
    for (let id = 0; id < 4; id++) {
      assert.equal((await askUDP(port, encodeQuery(WWW, 'A', { id }))).rcode, RCODE.NOERROR);
    }
    assert.equal((await askUDP(alone.port, encodeQuery(WWW, 'A'))).rcode, RCODE.SERVFAIL);
    assert.match(String(alone.errors[0]), /ECONNREFUSED/);
  } finally {
    await closeAll(server, alone.server, good);
  }
});

test('forward: responses with another ID are ignored; one with the ID but another question is FORMERR (CoreDNS drops out-of-order responses, answers a mismatch FORMERR)', async () => {
  const spoofed = await handMadeUpstream((q) => {
    const id = q.readUInt16BE(0);
    return [responseTo(q, (id + 1) & 0xffff, RCODE.REFUSED), responseTo(q, id, RCODE.NXDOMAIN)];
  });
  const mismatched = await handMadeUpstream((q) => {
    const r = responseTo(q, q.readUInt16BE(0));
    r[13] = 'x'.charCodeAt(0); // www -> xww
    return [r];
  });
  const a = await forwarder([spoofed.port]);
  const b = await forwarder([mismatched.port]);
  try {
    const m = await askUDP(a.port, encodeQuery(WWW, 'A', { id: 11 }));
    assert.equal(m.id, 11);
    assert.equal(m.rcode, RCODE.NXDOMAIN);
    const f = await askUDP(b.port, encodeQuery(WWW, 'A', { id: 12 }));
    assert.equal(f.id, 12);
    assert.equal(f.rcode, RCODE.FORMERR);
  } finally {
    await closeAll(a.server, b.server, spoofed, mismatched);
  }
});

test('forward: the upstream gets a fresh ID, not the client one (RFC 5452 §9.2)', async () => {
  const ids: number[] = [];
  const upstream = await handMadeUpstream((q) => {
    ids.push(q.readUInt16BE(0));
    return [responseTo(q, q.readUInt16BE(0))];
  });
  const { server, port } = await forwarder([upstream.port]);
  try {
    for (let i = 0; i < 8; i++) assert.equal((await askUDP(port, encodeQuery(WWW, 'A', { id: 1 }))).id, 1);
    assert.ok(new Set(ids).size > 1, `upstream IDs ${ids.join(', ')}`);
  } finally {
    await closeAll(server, upstream);
  }
});

test('forward: at most maxForwarding queries are out at once; one more is REFUSED (CoreDNS max_concurrent)', async () => {
  const silent = await handMadeUpstream(() => []);
  const { server, port } = await forwarder([silent.port], { maxForwarding: 1, upstreamTimeoutMs: 250 });
  try {
    const first = askUDP(port, encodeQuery(WWW, 'A', { id: 1 }));
    await waitFor(() => silent.asked.length === 1);
    const second = await askUDP(port, encodeQuery(WWW, 'A', { id: 2 }));
    assert.equal(second.rcode, RCODE.REFUSED);
    assert.equal((await first).rcode, RCODE.SERVFAIL);
    assert.equal(
      (await askUDP(port, encodeQuery(WWW, 'A', { id: 3 }))).rcode,
      RCODE.SERVFAIL,
      'the slot is free again',
    );
  } finally {
    await closeAll(server, silent);
  }
});

async function waitFor(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(ready());
}

test('forward: the upstream order is random for each query (CoreDNS policy random, its default)', async () => {
  const upstreams = [await podnetUpstream(), await podnetUpstream()];
  const { server, port } = await forwarder(upstreams.map((u) => u.port));
  try {
    for (let id = 0; id < 40; id++) await askUDP(port, encodeQuery(WWW, 'A', { id }));
    // Each is first half the time: both unused in 40 queries has probability 2^-39.
    assert.ok(
      upstreams.every((u) => u.asked.length > 0),
      upstreams.map((u) => u.asked.length).join(' / '),
    );
    assert.equal(upstreams[0].asked.length + upstreams[1].asked.length, 40);
  } finally {
    await closeAll(server, ...upstreams);
  }
});

test('forward: close() with queries out returns at once and answers nothing', async () => {
  const silent = await handMadeUpstream(() => []);
  const { server, port } = await forwarder([silent.port], { upstreamTimeoutMs: 60_000 });
  const client = createSocket('udp4');
  try {
    let answered = false;
    client.on('message', () => {
      answered = true;
    });
    client.send(encodeQuery(WWW, 'A'), port, LOOPBACK);
    await waitFor(() => silent.asked.length === 1);
    const started = performance.now();
    await server.close();
    assert.ok(performance.now() - started < 5000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false);
  } finally {
    client.close();
    await silent.close();
  }
});

test('forward: without upstreams, names outside the zone stay REFUSED (the issue: off by default)', async () => {
  const upstream = await podnetUpstream();
  const { server, port } = await forwarder([], { upstreams: undefined });
  try {
    const m = await askUDP(port, encodeQuery(WWW, 'A'));
    assert.equal(m.rcode, RCODE.REFUSED);
    assert.deepEqual(upstream.asked, []);
  } finally {
    await closeAll(server, upstream);
  }
});

const BAD_UPSTREAMS: { why: string; upstream: { address: string; port: number }; message: RegExp }[] = [
  { why: 'not an IP address', upstream: { address: 'localhost', port: 53 }, message: /not an IP address/ },
  {
    why: 'the unspecified address',
    upstream: { address: '0.0.0.0', port: 53 },
    message: /not a server's address/,
  },
  {
    why: 'the IPv6 unspecified address',
    upstream: { address: '::', port: 53 },
    message: /not a server's address/,
  },
  { why: 'port 0', upstream: { address: '127.0.0.1', port: 0 }, message: /between 1 and 65535/ },
];

for (const c of BAD_UPSTREAMS) {
  test(`forward: an upstream that cannot be one is refused at start: ${c.why}`, async () => {
    await assert.rejects(forwarder([], { upstreams: [c.upstream] }), {
      code: 'InvalidUsage',
      message: c.message,
    });
  });
}

test('forward: an upstream that is the server itself is refused: queries would loop (CoreDNS loop plugin)', async () => {
  const port = await closedPort();
  await assert.rejects(
    forwarder([], { listen: [{ address: LOOPBACK, port }], upstreams: [{ address: LOOPBACK, port }] }),
    { code: 'InvalidUsage', message: /is this server itself/ },
  );
});

test('dig: a forwarded name over UDP and TCP (dig +tcp)', { skip: digUnavailable() }, async () => {
  const upstream: Upstream = await podnetUpstream();
  const { server, port } = await forwarder([upstream.port]);
  try {
    for (const transport of ['+notcp', '+tcp']) {
      const r = await dig(port, WWW, 'A', transport);
      assert.equal(r.status, 'NOERROR', transport);
      assert.deepEqual(r.answer, [`${WWW} 60 IN A 192.0.2.1`]);
      assert.equal(r.transport, transport === '+tcp' ? 'TCP' : 'UDP');
    }
  } finally {
    await closeAll(server, upstream);
  }
});
