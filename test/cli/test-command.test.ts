// `podnet test EXPECT.yaml` run as a CI pipeline runs it: the examples' expectation files hold
// (exit 0); a deliberately wrong copy fails (exit 1) with every violation explained; an invalid
// file is refused whole (exit 2) with file, line and field path.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertGolden, podnet, REPO } from './cli.js';

const EXAMPLES = [
  { name: 'shop', expect: 'examples/expectations/shop.yaml', source: ['-f', 'examples/shop'] },
  {
    name: 'connect-apps',
    expect: 'examples/expectations/connect-apps.yaml',
    source: ['-f', 'examples/connect-apps'],
  },
];

for (const { name, expect, source } of EXAMPLES) {
  test(`test: the expectations checked in with the ${name} example hold (exit 0)`, () => {
    const r = podnet(['test', expect, ...source]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0, r.stdout);
    assertGolden(`test/${name}.txt`, r.stdout);
  });
}

/** The shop's expectations with two of them turned around: both must fail. */
function wrongShop(): string {
  const text = readFileSync(join(REPO, 'examples/expectations/shop.yaml'), 'utf8');
  const flip = (t: string, name: string, from: string, to: string) => {
    const at = t.indexOf(`- name: ${name}`);
    assert.ok(at >= 0, `no expectation "${name}" in examples/expectations/shop.yaml`);
    const value = t.indexOf(from, at);
    return t.slice(0, value) + to + t.slice(value + from.length);
  };
  let wrong = flip(text, 'the worker cannot reach postgres', 'allowed: false', 'allowed: true');
  wrong = flip(wrong, 'the storefront reaches the API', 'allowed: true', 'allowed: false');
  return wrong;
}

test('test: a wrong expectation fails with exit 1, each violation explained by the deciding policies', () => {
  const r = podnet(['test', '-', '-f', 'examples/shop'], { input: wrongShop() });
  assert.equal(r.stderr, '');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^FAIL {2}the worker cannot reach postgres/m);
  assert.match(r.stdout, /no rule allows shop-api\/worker-c4f544784-dv27c \(10.244.2.3\) on 5432\/TCP/);
  assert.match(r.stdout, /\n10 passed, 2 failed\n$/);
  assertGolden('test/shop-wrong.txt', r.stdout);
});

test('test -o json: {"kind":"TestResults","passed":n,"failed":n,"items":[...]} (docs/expectations.md)', () => {
  const r = podnet(['test', '-', '-f', 'examples/shop', '-o', 'json'], { input: wrongShop() });
  assert.equal(r.code, 1);
  const results = JSON.parse(r.stdout);
  assert.deepEqual(
    [results.kind, results.passed, results.failed, results.items.length],
    ['TestResults', 10, 2, 12],
  );
  assertGolden('test/shop-wrong.json', r.stdout);
});

test('test: an invalid file is refused whole before anything is checked (exit 2), each error at its line', () => {
  const input = `apiVersion: podnet.dev/v1alpha1
kind: Expectations
expectations:
- name: frontend reaches api
  from: {namespace: shop-web, selector: app=frontend}
  to: {namespace: shop-api, selctor: app=api}
  port: 8080
  allowed: true
- from: {namespace: shop-web}
  to: {namespace: shop-api}
  port: 80/ICMP
  allowed: true
- from: {namespace: shop-web}
  to: {namespace: shop-api}
  port: 80
  allowed: maybe
`;
  const r = podnet(['test', '-', '-f', 'examples/shop'], { input });
  assert.deepEqual(r, {
    code: 2,
    stdout: '',
    stderr:
      'error: stdin:6: unknown field "expectations[0].to.selctor"\n' +
      'error: stdin:11: expectations[1].port: Invalid value: "80/ICMP": the protocol must be one of "TCP", "UDP", "SCTP"\n' +
      'error: stdin:16: expectations[2].allowed: Invalid value: "maybe": expectations[2].allowed in body must be of type boolean: "string"\n' +
      'error: stdin has 3 errors; nothing was checked\n',
  });
});

test('test: an expectation that does not fit the cluster is refused with the others (exit 2)', () => {
  const input = `apiVersion: podnet.dev/v1alpha1
kind: Expectations
expectations:
- {from: {namespace: shop-web}, to: {namespace: shop-api, selector: app=apl}, port: 8080, allowed: true}
- {from: {namespace: shop-web}, to: {namespace: shop-data}, port: http, allowed: true}
`;
  const r = podnet(['test', '-', '-f', 'examples/shop'], { input });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    'error: stdin:4: expectations[0].to: Invalid value: "shop-api/(app=apl)": selects no pods (set allowEmpty: true if that is intended)\n' +
      'error: stdin:5: expectations[1].port: Invalid value: "http": 3 of the 4 destination pods declare no port named http: shop-data/postgres-0, shop-data/postgres-1, shop-data/postgres-2\n' +
      'error: stdin has 2 errors; nothing was checked\n',
  );
});

test('test: usage errors exit 2', () => {
  const cases: { args: string[]; stderr: RegExp }[] = [
    { args: ['test', '-f', 'examples/shop'], stderr: /podnet test takes one expectations file/ },
    { args: ['test', 'missing.yaml', '-f', 'examples/shop'], stderr: /cannot read "missing.yaml": ENOENT/ },
    { args: ['test', 'examples', '-f', 'examples/shop'], stderr: /cannot read "examples": EISDIR/ },
    {
      args: ['test', '-', '-f', '-'],
      stderr: /stdin cannot hold both the expectations \(-\) and the manifests \(-f -\)/,
    },
    {
      args: ['test', 'examples/expectations/shop.yaml', '-f', 'examples/shop', '-o', 'wide'],
      stderr: /unable to match a printer/,
    },
  ];
  for (const { args, stderr } of cases) {
    const r = podnet(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, stderr);
  }
});
