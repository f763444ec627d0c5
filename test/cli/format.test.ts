import assert from 'node:assert/strict';
import { test } from 'node:test';
import YAML, { Document } from 'yaml';
import type { Pod } from '../../src/api/types.js';
import {
  formatLabelSelector,
  formatLabels,
  humanDuration,
  listWithMore,
  selectorString,
  since,
} from '../../src/cli/printers/format.js';
import { printJSONList } from '../../src/cli/printers/json.js';
import { printNames, qualifiedKind, qualifiedResource } from '../../src/cli/printers/name.js';
import { alignColumns } from '../../src/cli/printers/table.js';
import { printYAML, printYAMLList } from '../../src/cli/printers/yaml.js';
import { joinHostPort } from '../../src/ip/index.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('AGE: HumanDuration keeps about two significant figures (apimachinery util/duration)', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 30 * S, '2m30s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 30 * M, '3h30m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [48 * H, '2d'],
    [2 * D + 5 * H, '2d5h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D + 23 * H, '8d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [731 * D, '2y1d'],
    [8 * 365 * D, '8y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('AGE: <unknown> without creationTimestamp (printers.go translateTimestampSince)', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  assert.equal(since(undefined, { now }), '<unknown>');
  assert.equal(since('not a time', { now }), '<unknown>');
  assert.equal(since('2025-01-01T11:55:00Z', { now }), '5m');
});

test('labels.FormatLabels: sorted k=v pairs, <none> when empty', () => {
  assert.equal(formatLabels({ tier: 'web', app: 'shop' }), 'app=shop,tier=web');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels(undefined), '<none>');
});

test('LabelSelectorAsSelector string: matchLabels as k=v, expressions as set operators, sorted by key', () => {
  const cases: [Parameters<typeof selectorString>[0], string, string][] = [
    [{ matchLabels: { run: 'my-nginx' } }, 'run=my-nginx', 'run=my-nginx'],
    [
      {
        matchLabels: { b: '1' },
        matchExpressions: [
          { key: 'a', operator: 'In', values: ['y', 'x'] },
          { key: 'c', operator: 'NotIn', values: ['z'] },
          { key: 'd', operator: 'Exists' },
          { key: 'e', operator: 'DoesNotExist' },
        ],
      },
      'a in (x,y),b=1,c notin (z),d,!e',
      'a in (x,y),b=1,c notin (z),d,!e',
    ],
    // A one-value In expression keeps the set form, unlike a matchLabels pair.
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, 'app in (web)', 'app in (web)'],
    [{}, '', '<none>'],
    [undefined, '', '<none>'],
  ];
  for (const [sel, plain, formatted] of cases) {
    assert.equal(selectorString(sel), plain);
    assert.equal(formatLabelSelector(sel), formatted);
  }
});

test('net.JoinHostPort brackets IPv6 addresses', () => {
  assert.equal(joinHostPort('10.244.1.2', 80), '10.244.1.2:80');
  assert.equal(joinHostPort('fd00:10:244::2', 80), '[fd00:10:244::2]:80');
});

test('listWithMoreString: first three, then "+ N more...", <unset> when empty (printers.go)', () => {
  assert.equal(listWithMore([], 3), '<unset>');
  assert.equal(listWithMore(['a', 'b', 'c'], 3), 'a,b,c');
  assert.equal(listWithMore(['a', 'b', 'c', 'd', 'e'], 3), 'a,b,c + 2 more...');
});

test('tabwriter: columns padded by 3 to at least 6, the last column unpadded (cli-runtime GetNewTabWriter)', () => {
  const out = alignColumns([
    ['NAME', 'READY', 'AGE'],
    ['a', '1/1', '5m'],
    ['much-longer-name', '10/10', '<unknown>'],
  ]);
  assert.equal(
    out,
    [
      'NAME               READY   AGE',
      'a                  1/1     5m',
      'much-longer-name   10/10   <unknown>',
      '',
    ].join('\n'),
  );
  // Narrow columns still take 6; an empty last cell leaves the padding of the one before.
  assert.equal(alignColumns([['X', 'Y', '']]), 'X     Y     \n');
  // Width counts characters (runes), not UTF-16 code units.
  assert.equal(
    alignColumns([
      ['é😀', 'x'],
      ['abcd', 'y'],
    ]),
    'é😀     x\nabcd   y\n',
  );
  assert.equal(alignColumns([]), '');
});

function pod(ns: string, name: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [] } };
}

test('-o name: kind.group/name, core kinds without a group (kubectl NamePrinter)', () => {
  assert.equal(qualifiedKind('Pod'), 'pod');
  assert.equal(qualifiedKind('Deployment'), 'deployment.apps');
  assert.equal(qualifiedKind('EndpointSlice'), 'endpointslice.discovery.k8s.io');
  assert.equal(qualifiedKind('NetworkPolicy'), 'networkpolicy.networking.k8s.io');
  assert.equal(qualifiedResource('Deployment'), 'deployments.apps');
  assert.equal(qualifiedResource('Endpoints'), 'endpoints');
  assert.equal(printNames([pod('a', 'x'), pod('b', 'y')]), 'pod/x\npod/y\n');
  assert.equal(printNames([]), '');
});

function collect(print: (write: (text: string) => void) => void): string {
  let out = '';
  print((text) => {
    out += text;
  });
  return out;
}

const list = (items: Pod[]) => ({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });

test('-o json: a v1 List indented by four spaces, as kubectl prints it (DESIGN.md JSON shapes)', () => {
  const items = [pod('default', 'x'), pod('shop', 'y')];
  items[1].metadata.labels = { app: 'web' };
  for (const n of [0, 1, 2]) {
    const text = collect((w) => printJSONList(items.slice(0, n), w));
    // Written item by item, yet byte for byte the whole List stringified at once.
    assert.equal(text, `${JSON.stringify(list(items.slice(0, n)), null, 4)}\n`, `${n} items`);
  }
  assert.match(
    collect((w) => printJSONList(items, w)),
    /^\{\n {4}"apiVersion": "v1",\n {4}"kind": "List",\n {4}"items": \[\n {8}\{/,
  );
});

test('-o json: a large List is written in chunks, not as one string', () => {
  const items = Array.from({ length: 2000 }, (_, i) => pod('default', `pod-${i}`));
  const chunks: string[] = [];
  printJSONList(items, (text) => chunks.push(text));
  assert.ok(chunks.length > 1);
  assert.ok(chunks.every((c) => c.length < (1 << 16) + 1024));
  assert.equal(JSON.parse(chunks.join('')).items.length, 2000);
});

test('-o yaml: kubectl block style, 1.1-ambiguous strings quoted, shared sub-objects never aliased', () => {
  const labels = { on: 'yes', port: '80', empty: '' };
  const a = pod('default', 'a');
  const b = pod('default', 'b');
  a.metadata.labels = labels;
  b.metadata.labels = labels;
  const item = (name: string) => [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    `    name: ${name}`,
    '    namespace: default',
    '    labels:',
    '      "on": "yes"',
    '      port: "80"',
    '      empty: ""',
    '  spec:',
    '    containers: []',
  ];
  const text = collect((w) => printYAMLList([a, b], w));
  assert.equal(
    text,
    [
      'apiVersion: v1',
      'kind: List',
      'items:',
      ...item('a'),
      ...item('b'),
      'metadata:',
      '  resourceVersion: ""',
      '',
    ].join('\n'),
  );
  // Item by item, the same text as the whole List as one YAML document.
  const whole = new Document(list([a, b]), { aliasDuplicateObjects: false, version: '1.1' }).toString({
    indentSeq: false,
    lineWidth: 0,
  });
  assert.equal(text, whole);
  assert.equal(
    collect((w) => printYAMLList([], w)),
    'apiVersion: v1\nkind: List\nitems: []\nmetadata:\n  resourceVersion: ""\n',
  );
  assert.match(
    collect((w) => printYAML(a, w)),
    /^apiVersion: v1\nkind: Pod\nmetadata:\n {2}name: a\n/,
  );
});

test('-o yaml: any JSON value reads back unchanged by a YAML 1.1 reader (strings quoted where needed)', () => {
  const strings = [
    'on',
    'yes',
    'y',
    'N',
    'null',
    '~',
    'true',
    '1e3',
    '0x1F',
    '0777',
    '1_000',
    '12:30',
    '1.5',
    '+1',
    '-',
    '',
    ' x',
    'x ',
    'a: b',
    'a:b',
    'x #y',
    '#x',
    '- x',
    '? x',
    '@x',
    '`x',
    '%x',
    '!x',
    '&x',
    '*x',
    '|x',
    '>x',
    '"x',
    "'x",
    '{x',
    '[x',
    ',x',
    'x\ny',
    'x\n',
    'tab\there',
    'é',
    '😀',
    '\u0000',
    '10.244.0.1',
    'fd00::1',
    'http://example.com/a?b=c',
    'web-1',
    'a/b.c_d',
    '.inf',
    '.nan',
    '__proto__',
  ];
  const value = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: Object.fromEntries(strings.map((s, i) => [s || `empty${i}`, s])) },
    spec: {
      list: strings,
      nested: [[1, [2, []]], [{ a: 1, b: [{}] }], { c: null, d: undefined }],
      numbers: [0, -1, 65535, 1.5, 1e21, 2 ** 53, -0.25],
      flags: [true, false, null],
      empty: {},
      hollow: { gone: undefined },
      [strings[0]]: { '80': 'eighty', '': 'blank' },
    },
  };
  const text = collect((w) => printYAML(value as unknown as Pod, w));
  assert.deepEqual(YAML.parse(text, { version: '1.1' }), JSON.parse(JSON.stringify(value)));
});
