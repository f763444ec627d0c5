import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJSON, fnv1a32, nameSuffix, safeEncode, stableUID } from '../../src/api/hash.js';

test('fnv1a32 matches the FNV-1a reference vectors', () => {
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
});

test('generated name suffixes use the apimachinery rand alphabet and are stable', () => {
  const s = nameSuffix('default/my-nginx-7c5ddbdf54/0');
  assert.match(s, /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(s, nameSuffix('default/my-nginx-7c5ddbdf54/0'));
  assert.notEqual(s, nameSuffix('default/my-nginx-7c5ddbdf54/1'));
  const many = new Set(Array.from({ length: 1000 }, (_, i) => nameSuffix(`rs/${i}`)));
  assert.ok(many.size > 990, `suffixes should rarely collide, got ${many.size} distinct of 1000`);
});

test('safeEncode and stableUID are deterministic and well-formed', () => {
  assert.match(safeEncode(fnv1a32('template')), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.match(
    stableUID('Service/default/x'),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(stableUID('a'), stableUID('a'));
  assert.notEqual(stableUID('a'), stableUID('b'));
});

test('canonicalJSON sorts keys and drops undefined', () => {
  assert.equal(canonicalJSON({ b: 1, a: [{ d: 2, c: undefined }] }), '{"a":[{"d":2}],"b":1}');
});
