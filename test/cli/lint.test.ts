// `podnet lint` run as a user runs it: golden output for a cluster with one mistake per theme,
// the JSON shape of DESIGN.md, scoping, --strict, and the exit codes of every way to misuse it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RULES } from '../../src/lint/index.js';
import { assertGolden, podnet } from './cli.js';

/** One mistake per theme, in two namespaces. */
const BROKEN = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: batch, labels: {team: data}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}
        - {name: metrics, image: exporter, ports: [{containerPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: https}]
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: shop}
spec:
  selector: {app: order}
  ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: lockdown, namespace: batch}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
apiVersion: v1
kind: Pod
metadata: {name: job, namespace: batch, labels: {app: job}}
spec:
  containers: [{name: job, image: busybox}]
`;

const lint = (args: string[], input = BROKEN) => podnet(['lint', '-f', '-', ...args], { input });

test('lint golden broken.txt: the table, errors first', () => {
  const r = lint([]);
  assert.equal(r.code, 0);
  // Admission's own warning about the duplicate port comes at load, on stderr.
  assert.match(r.stderr, /duplicate port definition/);
  assertGolden('lint/broken.txt', r.stdout);
});

test('lint golden broken.json: -o json is the Findings object of DESIGN.md', () => {
  const r = lint(['-o', 'json']);
  assert.equal(r.code, 0);
  assertGolden('lint/broken.json', r.stdout);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ['kind', 'items']);
  assert.equal(doc.kind, 'Findings');
  for (const item of doc.items)
    assert.deepEqual(Object.keys(item), ['severity', 'code', 'object', 'field', 'message']);
});

test('lint -o yaml is the same object as YAML', () => {
  const r = lint(['-o', 'yaml']);
  assert.equal(r.code, 0);
  assertGolden('lint/broken.yaml', r.stdout);
  assert.match(r.stdout, /^kind: Findings\nitems:\n- severity: error\n/);
});

test('lint: without --strict, findings are an answer (exit 0); with --strict an error finding exits 1', () => {
  assert.equal(lint([]).code, 0);
  const strict = lint(['--strict']);
  assert.equal(strict.code, 1);
  assert.equal(strict.stdout, lint([]).stdout);
});

test('lint --strict: warnings and infos alone exit 0', () => {
  const r = lint(['--strict', '-n', 'batch']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /egress-denies-dns/);
});

test('lint -n keeps the findings about objects of one namespace; -l those whose labels match', () => {
  const batch = JSON.parse(lint(['-n', 'batch', '-o', 'json']).stdout);
  assert.deepEqual(
    batch.items.map((i: { object: string }) => i.object),
    ['NetworkPolicy/batch/lockdown'],
  );
  const labelled = JSON.parse(lint(['-l', 'app=web', '-o', 'json']).stdout);
  assert.deepEqual(
    [...new Set(labelled.items.map((i: { object: string }) => i.object))],
    ['Deployment/shop/web', 'Service/shop/web'],
  );
  const all = JSON.parse(lint(['-A', '-o', 'json']).stdout);
  assert.deepEqual(all, JSON.parse(lint(['-o', 'json']).stdout));
});

test('lint: a clean cluster prints no table and says so on stderr; JSON has no items', () => {
  const r = podnet(['lint', '-f', 'examples/netpol/base']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'No findings.\n');
  const scoped = podnet(['lint', '-f', 'examples/shop', '-n', 'shop-web', '-l', 'app=x']);
  assert.equal(scoped.stderr, 'No findings in namespace "shop-web" for -l "app=x".\n');
  const json = podnet(['lint', '-f', 'examples/netpol/base', '--strict', '-o', 'json']);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.stdout), { kind: 'Findings', items: [] });
});

test('lint --rules lists every code with its severity, without reading a cluster', () => {
  const r = podnet(['lint', '--rules']);
  assert.equal(r.code, 0);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^CODE\s+SEVERITY\s+FINDS$/);
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    RULES.map((rule) => `${rule.code} ${rule.severity}`).sort(),
  );
});

/** Misuse: exit 2, a message on stderr, nothing on stdout. */
const HOSTILE: { name: string; args: string[]; input?: string; stderr: RegExp }[] = [
  {
    name: 'an unknown -o',
    args: ['lint', '-f', 'examples/shop', '-o', 'wide'],
    stderr:
      /unable to match a printer suitable for the output format "wide", allowed formats are: json,table,yaml/,
  },
  {
    name: 'a malformed -l',
    args: ['lint', '-f', 'examples/shop', '-l', 'app in (x'],
    stderr: /unable to parse requirement/,
  },
  {
    name: 'an argument',
    args: ['lint', 'shop', '-f', 'examples/shop'],
    stderr: /too many arguments for 'lint'. Expected 0 arguments but got 1/,
  },
  {
    name: 'an unknown flag',
    args: ['lint', '--stict', '-f', 'examples/shop'],
    stderr: /unknown option '--stict'/,
  },
  {
    name: 'an invalid manifest, located by file and line',
    args: ['lint', '-f', '-'],
    input: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 0}]\n',
    stderr: /^error: <stdin>:5: Service default\/web: spec\.ports\[0\]\.port: Invalid value: 0/m,
  },
];

for (const h of HOSTILE) {
  test(`lint: ${h.name} is bad usage or input (exit 2)`, () => {
    const r = podnet(h.args, { input: h.input });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, h.stderr);
  });
}

test('lint: without -f it reads the lab, and none is running (exit 3)', () => {
  const r = podnet(['lint']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /no lab "podnet" is running/);
});
