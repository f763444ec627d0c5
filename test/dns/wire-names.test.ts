import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NameWriter, nameText, walkName } from '../../src/dns/wire-names.js';

function written(writer: NameWriter, buf: Buffer, off: number, ...names: string[]): number[] {
  const offsets: number[] = [];
  for (const name of names) {
    offsets.push(off);
    off = writer.write(buf, off, name, true);
  }
  offsets.push(off);
  return offsets;
}

test('names: a repeated name becomes a 2-octet pointer, a shared suffix a pointer after the new labels (RFC 1035 §4.1.4)', () => {
  const buf = Buffer.alloc(512);
  const w = new NameWriter();
  const [a, b, c, end] = written(
    w,
    buf,
    12,
    'web.default.svc.cluster.local.',
    'web.default.svc.cluster.local.',
    'db.default.svc.cluster.local.',
  );
  assert.equal(b - a, 31);
  assert.deepEqual([...buf.subarray(b, c)], [0xc0, a]);
  assert.deepEqual([...buf.subarray(c, end)], [2, 0x64, 0x62, 0xc0, a + 4]);
  assert.equal(nameText(buf, c, false), 'db.default.svc.cluster.local.');
});

test('names: suffixes match whole labels only ("ab.local." does not point into "xab.local.")', () => {
  const buf = Buffer.alloc(512);
  const w = new NameWriter();
  const [, second, end] = written(w, buf, 12, 'xab.local.', 'ab.local.');
  // "ab" written in full, then a pointer to "local." inside the first name.
  assert.deepEqual([...buf.subarray(second, end)], [2, 0x61, 0x62, 0xc0, 16]);
});

test('names: offsets beyond 14 bits are never pointer targets (RFC 1035 §4.1.4)', () => {
  const buf = Buffer.alloc(0x5000);
  const w = new NameWriter();
  const far = 0x4000;
  const next = w.write(buf, far, 'far.cluster.local.', true);
  const end = w.write(buf, next, 'far.cluster.local.', true);
  assert.equal(end - next, next - far, 'written again in full');
});

test('names: the remembered question serves as a target with the client spelling (RFC 4343)', () => {
  const buf = Buffer.alloc(512);
  const q = Buffer.from([3, 0x57, 0x65, 0x62, 5, 0x4c, 0x6f, 0x63, 0x61, 0x6c, 0]); // "Web.Local."
  q.copy(buf, 12);
  const w = new NameWriter();
  w.remember('web.local.', 12);
  const end = w.write(buf, 23, 'web.local.', true);
  assert.deepEqual([...buf.subarray(23, end)], [0xc0, 12]);
  assert.equal(nameText(buf, 23, false), 'Web.Local.');
});

test('names: SRV-style uncompressed writes still serve later pointers (RFC 2782)', () => {
  const buf = Buffer.alloc(512);
  const w = new NameWriter();
  const a = w.write(buf, 12, 'web-0.nginx.local.', false);
  const b = w.write(buf, a, 'web-0.nginx.local.', true);
  assert.deepEqual([...buf.subarray(a, b)], [0xc0, 12]);
});

test('names: reset forgets the previous message', () => {
  const buf = Buffer.alloc(512);
  const w = new NameWriter();
  const a = w.write(buf, 12, 'web.local.', true);
  w.reset();
  assert.equal(w.write(buf, a, 'web.local.', true) - a, a - 12);
});

test('names: walking a valid chain of backward pointers ends after the first pointer', () => {
  const buf = Buffer.alloc(64);
  const w = new NameWriter();
  const a = w.write(buf, 12, 'a.b.local.', true);
  const b = w.write(buf, a, 'x.a.b.local.', true);
  const c = w.write(buf, b, 'y.x.a.b.local.', true);
  assert.equal(walkName(buf, b, c, true), c);
  assert.equal(nameText(buf, b, false), 'y.x.a.b.local.');
  assert.equal(walkName(buf, b, c, false), 'compression pointer in question');
});
