import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { decodeWithLibrary, decodeYAML } from '../../src/api/yaml-decode.js';
import { decodeFast } from '../../src/api/yaml-fast.js';
import { SourceText } from '../../src/api/yaml-positions.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/manifests/', import.meta.url));

function decode(text: string): unknown[] {
  return decodeYAML(new SourceText(text)).map((d) => (d.error ? { error: d.error.message } : d.value));
}

function one(text: string): unknown {
  const [v] = decode(text);
  return v;
}

// What kubectl sends for each plain scalar: sigs.k8s.io/yaml decodes with go-yaml v2 (YAML 1.1).
const SCALARS: [string, unknown][] = [
  ['yes', true],
  ['on', true],
  ['y', true],
  ['Off', false],
  ['NO', false],
  ['true', true],
  ['~', null],
  ['null', null],
  ['', null],
  ['0777', 511],
  ['0o17', 15],
  ['0x1F', 31],
  ['-0x10', -16],
  ['0b101', 5],
  ['1_000', 1000],
  ['08', 8],
  ['+5', 5],
  ['-0', 0],
  ['1e3', 1000],
  ['.5', 0.5],
  ['1.', 1],
  ['1e999', '1e999'],
  ['12:30', '12:30'],
  ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05Z'],
  ['2001-12-14', '2001-12-14'],
  ['1.2.3', '1.2.3'],
  ['0x', '0x'],
  ['yess', 'yess'],
  ['nginx:1.25', 'nginx:1.25'],
  ['constructor', 'constructor'],
];

test('sigs.k8s.io/yaml (go-yaml v2): plain scalars resolve as YAML 1.1, timestamps stay strings', () => {
  for (const [text, want] of SCALARS) assert.deepEqual(one(`v: ${text}\n`), { v: want }, text);
});

test('sigs.k8s.io/yaml: quoted and block scalars are always strings', () => {
  assert.deepEqual(one(`a: "yes"\nb: 'on'\nc: |\n  0777\nd: >-\n  1e3\n`), {
    a: 'yes',
    b: 'on',
    c: '0777\n',
    d: '1e3',
  });
});

test('sigs.k8s.io/yaml: map keys become strings (1 -> "1", y -> "true")', () => {
  assert.deepEqual(one('1: a\ny: b\nfalse: c\n"on": d\n'), { '1': 'a', true: 'b', false: 'c', on: 'd' });
});

test('explicit tags: !!str, !!int, !!float and the non-specific ! are honoured; mismatches are errors', () => {
  assert.deepEqual(one(`a: !!str 80\nb: !!int "80"\nc: !!float 1\nd: ! 80\n`), {
    a: '80',
    b: 80,
    c: 1,
    d: '80',
  });
  assert.deepEqual(one('a: !!int abc\n'), { error: 'cannot decode !!str `abc` as a !!int' });
});

test('YAML 1.1 merge keys: explicit keys win, earlier merged maps win over later ones', () => {
  const text = 'base: &base {a: 1, b: 1}\nother: &other {b: 2, c: 2}\nx:\n  <<: [*base, *other]\n  a: 0\n';
  assert.deepEqual((one(text) as Record<string, unknown>).x, { a: 0, b: 1, c: 2 });
  assert.deepEqual(one('x: &x 1\ny:\n  <<: *x\n'), {
    error: 'map merge requires a mapping or a sequence of mappings as the value',
  });
});

test('aliases are copied, never shared: changing one place cannot change another', () => {
  const v = one('a: &a {k: 1}\nb: *a\n') as Record<string, Record<string, number>>;
  v.a.k = 2;
  assert.equal(v.b.k, 1);
});

test('documents: `---` and `...` separate; a `---` line inside a block scalar still ends the document (YAML 1.2)', () => {
  assert.deepEqual(decode('a: 1\n---\n---\nb: |\n  x\n---\nc: 3\n...\n# trailing comment\n'), [
    { a: 1 },
    null,
    { b: 'x\n' },
    { c: 3 },
    null,
  ]);
  assert.deepEqual(decode('--- {a: 1}\n--- |\n  text\n'), [{ a: 1 }, 'text\n']);
  assert.deepEqual(decode('%YAML 1.1\n---\na: yes\n'), [{ a: true }]);
});

// --- the fast reader must agree with the yaml package wherever it does not give up ---

function agree(text: string): 'fast' | 'bail' {
  const source = new SourceText(text);
  const fast = decodeFast(text, 0, text.length);
  if (!fast) return 'bail';
  const [lib] = decodeWithLibrary(source, 0, text.length);
  const label = JSON.stringify(text).slice(0, 200);
  assert.equal(lib?.error, undefined, `the fast reader accepted what the yaml package refuses: ${label}`);
  assert.deepEqual(fast.value, lib?.value ?? null, label);
  if (lib) assert.equal(fast.start, lib.start, `start offset of ${label}`);
  const starts = (items?: number[]) => items?.filter((_, i) => i % 2 === 0);
  assert.deepEqual(starts(fast.items), starts(lib?.items), `item offsets of ${label}`);
  return 'fast';
}

const SNIPPETS = [
  "a: 1\nb: yes\nc: \"x\"\nd: 'y''z'\n",
  'a:\n  b:\n  - 1\n  - 2\n  c: on\n',
  'items:\n- kind: Pod\n  apiVersion: v1\n- kind: Service\n',
  '{"a": [1, 2, {"b": null}], "c": "d\\u00e9\\n\\t\\"q\\""}\n',
  'a: |\n  line1\n\n  line2\n\n\nb: 1\n',
  'a: >\n  folded\n  line\n\n  next\nb: |-\n  x\n',
  'a: |+\n  x\n\n',
  'a: |\n\n  x\n',
  'a: >\n\n  x\n  y\n\n\n  z\n',
  '- |\n  x\n- >-\n  y\n  z\n',
  '# comment\n\na: b # c\nd: e#f\n',
  'a: b\r\nc:\r\n  d: e\r\n',
  'a: |\r\n  x\r\n  y\r\nb: 1\r\n',
  'key with spaces: value with spaces\n',
  'a: -1\nb: +2\nc: -x\n',
  'a: [1, 2,\n  3]\nb: {c: d, e: [f, g]}\n',
  '[1, [2, [3]]]\n',
  '{}\n',
  'a: {}\nb: []\nc: ~\nd:\n',
  'a: http://x:80/y\nb: b:c\nc: "a: b"\n',
  'items: [{"x": 1}, {"y": 2}]\n',
  'a:\n\n\n  b: 1\n',
  '  a: 1\n  b: 2\n',
  'a:\n- b\n-  c\n- - d\n',
  'a: b\n  c\n',
  'a: "multi\n  line"\n',
  'a: &x 1\nb: *x\n',
  '? complex\n: key\n',
  'a: 1\na: 2\n',
  'a:\tb\n',
  'a: [b: c]\n',
];

test('fast reader: agrees with the yaml package on every snippet it accepts', () => {
  const outcomes = SNIPPETS.map(agree);
  assert.ok(outcomes.filter((o) => o === 'fast').length >= 20, 'the fast reader takes the common cases');
});

test('fast reader: takes every fixture manifest, agreeing with the yaml package', () => {
  // invalid-documents.yaml holds a duplicate key on purpose: only the yaml package reports those.
  for (const name of readdirSync(FIXTURES).filter(
    (n) => /\.(ya?ml|json)$/.test(n) && !n.startsWith('invalid'),
  )) {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    for (const part of text.split(/^---\n/m)) {
      const body = part.replace(/^\.\.\.\n/m, '');
      if (body.trim()) assert.equal(agree(body), 'fast', `${name}: ${body.slice(0, 60)}`);
    }
  }
});

// Deterministic pseudo-random documents, written out by the yaml package in several styles.
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICKY = [
  'yes',
  'on',
  '0777',
  '1e3',
  '',
  ' lead',
  'trail ',
  'a: b',
  '#c',
  'a #b',
  'x\ny\n',
  'x\n\ny',
  '- x',
  '[x]',
  '{x}',
  "'q'",
  '"dq"',
  'ünï',
  'null',
  '~',
  '08',
  '12:30',
  'nginx:1.25',
  '-',
  'a\tb',
  '\\',
  'é\u2028',
  'http://x/#y',
];
const KEYS = ['a', 'name', 'port', 'yes', '1', 'a b', 'x.y/z', 'on', 'key-with-dash', '__proto__'];

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.45) {
    const k = next();
    if (k < 0.6) return TRICKY[Math.floor(next() * TRICKY.length)];
    if (k < 0.75) return Math.floor(next() * 70000) - 100;
    if (k < 0.85) return next() < 0.5;
    if (k < 0.9) return null;
    return Math.round(next() * 1e4) / 100;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) {
    Object.defineProperty(o, KEYS[Math.floor(next() * KEYS.length)], {
      value: randomValue(next, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return o;
}

test('fast reader: agrees with the yaml package on 2,000 generated documents in every style', () => {
  const next = rng(42);
  const styles: ((v: unknown) => string)[] = [
    (v) => stringify(v),
    (v) => stringify(v, { indentSeq: false }),
    (v) => stringify(v, { collectionStyle: 'flow' }),
    (v) => stringify(v, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }),
    (v) => stringify(v, { defaultStringType: 'QUOTE_SINGLE' }),
    (v) => stringify(v, { defaultStringType: 'BLOCK_LITERAL' }),
    (v) => stringify(v, { defaultStringType: 'BLOCK_FOLDED', lineWidth: 20 }),
    (v) => `${JSON.stringify(v, null, 2)}\n`,
    (v) => `${JSON.stringify(v)}\n`,
  ];
  const fast = styles.map(() => 0);
  for (let i = 0; i < 2000; i++) {
    const doc = { spec: randomValue(next, 0), list: [randomValue(next, 1), randomValue(next, 1)] };
    if (agree(styles[i % styles.length](doc)) === 'fast') fast[i % styles.length]++;
  }
  // Every style is exercised: most documents of each are taken by the fast reader.
  for (const [i, n] of fast.entries())
    assert.ok(n > 2000 / styles.length / 3, `style ${i}: the fast reader took ${n}`);
});
