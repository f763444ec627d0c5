// Which Ingresses podnet serves: DESIGN.md "Ingresses served", the Ingress docs on IngressClass
// (default class, deprecated annotation), the DefaultIngressClass admission plugin, and
// ingress-nginx's class filter (every IngressClass naming its controller; spec.ingressClassName
// before the annotation).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/api/types.js';
import type { IngressTable, IngressTableOptions } from '../../src/ingress/index.js';
import { ingress, ingressClass, path, rule, table } from './fixtures.js';

const r = [rule('example.com', path('/', 'Prefix', 'web'))];
const LEGACY = 'kubernetes.io/ingress.class';

function servedAndIgnored(
  objects: KubeObject[],
  options?: IngressTableOptions,
): [string[], string[], IngressTable] {
  const t = table(objects, options);
  return [[...t.served].sort(), t.ignored.map((i) => i.ingress), t];
}

const NGINX = ingressClass('nginx', 'k8s.io/ingress-nginx', { isDefault: true });
const INTERNAL = ingressClass('nginx-internal', 'k8s.io/ingress-nginx');
const TRAEFIK = ingressClass('traefik', 'traefik.io/ingress-controller');
const MIXED: KubeObject[] = [
  NGINX,
  INTERNAL,
  TRAEFIK,
  ingress('a/named', r, { className: 'nginx' }),
  ingress('a/internal', r, { className: 'nginx-internal' }),
  ingress('a/classless', r),
  ingress('a/traefik', r, { className: 'traefik' }),
  ingress('a/legacy-nginx', r, { annotations: { [LEGACY]: 'nginx' } }),
  ingress('a/legacy-traefik', r, { annotations: { [LEGACY]: 'traefik' } }),
  ingress('a/missing', r, { className: 'gce' }),
];

test("IngressClass: podnet plays the default class's controller and serves every class naming it (ingress-nginx class filter)", () => {
  const [served, ignored, t] = servedAndIgnored(MIXED);
  assert.deepEqual(t.classes, ['nginx', 'nginx-internal']);
  assert.deepEqual(served, ['a/classless', 'a/internal', 'a/legacy-nginx', 'a/named']);
  assert.deepEqual(ignored, ['a/legacy-traefik', 'a/missing', 'a/traefik']);
});

test('IngressClass: ignored Ingresses say why, naming their class and the controller podnet plays', () => {
  const [, , t] = servedAndIgnored(MIXED);
  const why = Object.fromEntries(t.ignored.map((i) => [i.ingress, i.reason]));
  assert.match(
    why['a/traefik'],
    /class is traefik \(spec\.ingressClassName\), whose controller is traefik\.io\/ingress-controller/,
  );
  assert.match(
    why['a/traefik'],
    /plays the controller k8s\.io\/ingress-nginx of the default IngressClass nginx/,
  );
  assert.match(why['a/legacy-traefik'], /annotation kubernetes\.io\/ingress\.class/);
  assert.match(
    why['a/missing'],
    /class gce \(spec\.ingressClassName\) names no IngressClass; pass --ingress-class gce/,
  );
});

test('Ingress docs "Default IngressClass": the annotation value must be "true"', () => {
  const notDefault = ingressClass('nginx');
  notDefault.metadata.annotations = { 'ingressclass.kubernetes.io/is-default-class': 'True' };
  const [served, ignored, t] = servedAndIgnored([notDefault, ingress('a/classless', r)]);
  assert.deepEqual([served, ignored, t.classes], [[], ['a/classless'], []]);
  assert.match(t.ignored[0].reason, /no IngressClass is marked default .*pass --ingress-class NAME/);
});

test('DefaultIngressClass admission: with several defaults the newest wins, by name on equal timestamps', () => {
  const older = ingressClass('old', 'example.com/old', { isDefault: true, created: '2024-01-01T00:00:00Z' });
  const newer = ingressClass('new', 'example.com/new', { isDefault: true, created: '2025-01-01T00:00:00Z' });
  assert.deepEqual(table([older, newer]).classes, ['new']);
  const b = ingressClass('b', 'example.com/b', { isDefault: true, created: '2025-01-01T00:00:00Z' });
  const a = ingressClass('a', 'example.com/a', { isDefault: true, created: '2025-01-01T00:00:00Z' });
  assert.deepEqual(table([b, a]).classes, ['a']);
});

test('ingress-nginx GetIngressClass: spec.ingressClassName is read before the deprecated annotation', () => {
  const both = ingress('a/both', r, { className: 'traefik', annotations: { [LEGACY]: 'nginx' } });
  const other = ingress('a/other', r, { className: 'nginx', annotations: { [LEGACY]: 'traefik' } });
  const [served, ignored] = servedAndIgnored([NGINX, TRAEFIK, both, other]);
  assert.deepEqual([served, ignored], [['a/other'], ['a/both']]);
});

test("--ingress-class NAME: podnet plays that class's controller; classless Ingresses follow the default class", () => {
  const [served, , t] = servedAndIgnored(MIXED, { ingressClass: 'traefik' });
  assert.deepEqual(t.classes, ['traefik']);
  assert.deepEqual(served, ['a/legacy-traefik', 'a/traefik']);
  const why = Object.fromEntries(t.ignored.map((i) => [i.ingress, i.reason]));
  assert.match(why['a/classless'], /belongs to the default IngressClass nginx.*--ingress-class traefik/);
  const [servedInternal, , ti] = servedAndIgnored(MIXED, { ingressClass: 'nginx-internal' });
  assert.deepEqual(ti.classes, ['nginx', 'nginx-internal']);
  assert.ok(servedInternal.includes('a/classless'), 'the default class names the same controller');
});

test('--ingress-class NAME without an IngressClass object: Ingresses naming NAME are served (the class ships with the controller)', () => {
  const objects = [
    ingress('a/podnet', r, { className: 'podnet' }),
    ingress('a/legacy', r, { annotations: { [LEGACY]: 'podnet' } }),
    ingress('a/other', r, { className: 'nginx' }),
    ingress('a/classless', r),
  ];
  const [served, ignored, t] = servedAndIgnored(objects, { ingressClass: 'podnet' });
  assert.deepEqual(t.classes, ['podnet']);
  assert.deepEqual(
    served,
    ['a/classless', 'a/legacy', 'a/podnet'],
    'no IngressClass exists: classless ones too',
  );
  assert.deepEqual(ignored, ['a/other']);
});

test('DESIGN.md: where no IngressClass exists at all, the Ingresses without a class are served', () => {
  const [served, ignored, t] = servedAndIgnored([
    ingress('a/classless', r),
    ingress('a/named', r, { className: 'nginx' }),
  ]);
  assert.deepEqual([served, ignored, t.classes], [['a/classless'], ['a/named'], []]);
  assert.match(t.ignored[0].reason, /pass --ingress-class nginx/);
});

test("ingress-nginx canary Ingresses only weight another Ingress's location: not routed, said why", () => {
  const canary = ingress('a/canary', r, {
    className: 'nginx',
    annotations: { 'nginx.ingress.kubernetes.io/canary': 'true' },
  });
  const [served, ignored, t] = servedAndIgnored([
    NGINX,
    canary,
    ingress('a/main', r, { className: 'nginx' }),
  ]);
  assert.deepEqual([served, ignored], [['a/main'], ['a/canary']]);
  assert.match(t.ignored[0].reason, /canary/);
});

test('ingress-nginx sortIngressSlice: served oldest first; equal timestamps by ns/name descending; none counts as newest', () => {
  const t = table([
    NGINX,
    ingress('a/late', r, { created: '2025-06-01T00:00:00Z' }),
    ingress('a/early', r, { created: '2024-06-01T00:00:00Z' }),
    ingress('a/x', r),
    ingress('b/y', r),
    ingress('a/same2', r, { created: '2025-06-01T00:00:00Z' }),
  ]);
  assert.deepEqual(t.served, ['a/early', 'a/same2', 'a/late', 'b/y', 'a/x']);
});
