import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DNSServer, startDNSServer } from '../../src/dns/server.js';
import { FrameReader } from '../../src/dns/server-tcp.js';
import { decodeMessage, encodeQuery } from '../../src/dns/wire-message.js';
import { fixtureZone, HEADLESS, HEADLESS_SIZE } from './server-fixtures.js';

function frame(msg: Uint8Array): Buffer {
  const out = Buffer.alloc(msg.length + 2);
  out.writeUInt16BE(msg.length, 0);
  out.set(msg, 2);
  return out;
}

const query = (id: number, name = 'my-svc.default.svc.cluster.local.') =>
  frame(encodeQuery(name, 'A', { id }));

test('TCP framing: one frame per chunk, several per chunk, one split in single octets (RFC 1035 §4.2.2)', () => {
  const frames: string[] = [];
  const reader = new FrameReader((f) => frames.push(Buffer.from(f).toString()));
  const stream = Buffer.concat([
    frame(Buffer.from('one')),
    frame(Buffer.from('two')),
    frame(Buffer.from('three')),
  ]);
  reader.push(stream);
  for (const octet of stream) reader.push(Buffer.from([octet]));
  reader.push(stream.subarray(0, 6));
  reader.push(stream.subarray(6, 11));
  reader.push(stream.subarray(11));
  assert.deepEqual(frames, ['one', 'two', 'three', 'one', 'two', 'three', 'one', 'two', 'three']);
});

test('TCP framing: an empty frame is a frame, split prefixes included', () => {
  const lengths: number[] = [];
  const reader = new FrameReader((f) => lengths.push(f.length));
  reader.push(Buffer.from([0, 0, 0]));
  reader.push(Buffer.from([0, 0, 1]));
  reader.push(Buffer.from([0x41]));
  assert.deepEqual(lengths, [0, 0, 1]);
});

let server: DNSServer;
let port: number;

before(async () => {
  server = await startDNSServer({
    zone: () => fixtureZone(),
    listen: [{ address: '127.0.0.1', port: 0 }],
    tcpIdleTimeoutMs: 300,
    tcpMessageTimeoutMs: 150,
  });
  port = server.addresses[0].port;
});
after(() => server.close());

/** A TCP client that collects response frames. */
async function client(to = port): Promise<{
  socket: Socket;
  responses: () => Promise<ReturnType<typeof decodeMessage>>;
  closed: Promise<unknown>;
}> {
  const socket = connect({ host: '127.0.0.1', port: to, noDelay: true });
  await once(socket, 'connect');
  // Writes racing the server closing the connection fail with EPIPE; the tests watch 'close'.
  socket.on('error', () => {});
  const queue: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  const reader = new FrameReader((f) => {
    const copy = Buffer.from(f);
    const w = waiting.shift();
    if (w) w(copy);
    else queue.push(copy);
  });
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  const closed = once(socket, 'close');
  const responses = () =>
    new Promise<ReturnType<typeof decodeMessage>>((resolve) => {
      const ready = queue.shift();
      if (ready) resolve(decodeMessage(ready));
      else waiting.push((b) => resolve(decodeMessage(b)));
    });
  return { socket, responses, closed };
}

test('TCP: several queries in one segment are all answered, in order (RFC 7766 §6.2.1.1 pipelining)', async () => {
  const c = await client();
  try {
    c.socket.write(Buffer.concat([query(1), query(2, HEADLESS), query(3)]));
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const m = await c.responses();
      ids.push(m.id);
      if (m.id === 2) assert.equal(m.answers.length, HEADLESS_SIZE);
    }
    assert.deepEqual(ids, [1, 2, 3]);
  } finally {
    c.socket.destroy();
  }
});

test('TCP: a query split over segments, and a segment with the end of one and the start of the next (RFC 7766 §8)', async () => {
  const c = await client();
  try {
    const stream = Buffer.concat([query(4), query(5)]);
    c.socket.write(stream.subarray(0, 1));
    await sleep(20);
    c.socket.write(stream.subarray(1, 10));
    await sleep(20);
    c.socket.write(stream.subarray(10, stream.length - 3));
    await sleep(20);
    c.socket.write(stream.subarray(stream.length - 3));
    assert.equal((await c.responses()).id, 4);
    assert.equal((await c.responses()).id, 5);
  } finally {
    c.socket.destroy();
  }
});

test('TCP: an empty or malformed frame gets no answer or FORMERR, and the connection keeps working', async () => {
  const c = await client();
  try {
    const trailing = Buffer.concat([
      encodeQuery('my-svc.default.svc.cluster.local.', 'A', { id: 6 }),
      Buffer.from([9]),
    ]);
    c.socket.write(
      Buffer.concat([frame(Buffer.alloc(0)), frame(Buffer.alloc(5)), frame(trailing), query(7)]),
    );
    const formerr = await c.responses();
    assert.equal(formerr.id, 6);
    assert.equal(formerr.rcode, 1);
    assert.equal((await c.responses()).id, 7);
  } finally {
    c.socket.destroy();
  }
});

test('TCP: an idle connection is closed by the server (RFC 7766 §6.2.3)', async () => {
  const c = await client();
  c.socket.write(query(8));
  assert.equal((await c.responses()).id, 8);
  const started = Date.now();
  await c.closed;
  const idle = Date.now() - started;
  assert.ok(idle >= 250 && idle < 2000, `closed after ${idle} ms`);
});

test('TCP: a message trickling in slower than the message timeout closes the connection (Knot DNS tcp-io-timeout)', async () => {
  const c = await client();
  const q = query(12);
  const started = Date.now();
  // One octet every 40 ms: never idle for the 300 ms idle timeout, but far over 150 ms per message.
  for (let i = 0; i < q.length && c.socket.writable && Date.now() - started < 1000; i++) {
    c.socket.write(q.subarray(i, i + 1));
    await sleep(40);
  }
  await c.closed;
  const took = Date.now() - started;
  assert.ok(took >= 140 && took < 1000, `closed after ${took} ms`);
});

test('TCP: connections beyond the limit are closed at once; the others keep working', async () => {
  // A server of its own, so connections of other tests cannot count against the limit.
  const small = await startDNSServer({
    zone: () => fixtureZone(),
    listen: [{ address: '127.0.0.1', port: 0 }],
    maxTCPConnections: 2,
  });
  const open = [await client(small.addresses[0].port), await client(small.addresses[0].port)];
  try {
    for (const [i, c] of open.entries()) {
      c.socket.write(query(20 + i));
      assert.equal((await c.responses()).id, 20 + i);
    }
    const extra = await client(small.addresses[0].port);
    await extra.closed;
    open[0].socket.write(query(9));
    assert.equal((await open[0].responses()).id, 9);
  } finally {
    for (const c of open) c.socket.destroy();
    await small.close();
  }
});

test('TCP: a client that disappears mid-frame does not disturb the server', async () => {
  const c = await client();
  c.socket.write(query(10).subarray(0, 7));
  c.socket.destroy();
  await c.closed;
  const d = await client();
  try {
    d.socket.write(query(11));
    assert.equal((await d.responses()).id, 11);
  } finally {
    d.socket.destroy();
  }
});
