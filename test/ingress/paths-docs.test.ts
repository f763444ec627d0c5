// Every row of the path-matching examples in the Kubernetes Ingress documentation
// (concepts/services-networking/ingress, "Examples" under "Path types"), and its "Multiple
// matches" rule. Each row is one Ingress; its paths go to Services p0, p1, ... in order, so the
// backend names the path that matched. "No" means the controller's default backend: 404.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PathType } from '../../src/ingress/index.js';
import { ingress, ingressClass, outcome, path, router, rule, table } from './fixtures.js';

interface Row {
  paths: [string, PathType][];
  requests: string[];
  /** Index of the path that matches, or 'default' for no match. */
  expect: number | 'default';
  note: string;
}

const ROWS: Row[] = [
  { paths: [['/', 'Prefix']], requests: ['/', '/foo', '/a/b/c', '/a/'], expect: 0, note: '(all paths): Yes' },
  { paths: [['/foo', 'Exact']], requests: ['/foo'], expect: 0, note: 'Yes' },
  { paths: [['/foo', 'Exact']], requests: ['/bar'], expect: 'default', note: 'No' },
  { paths: [['/foo', 'Exact']], requests: ['/foo/'], expect: 'default', note: 'No' },
  { paths: [['/foo/', 'Exact']], requests: ['/foo'], expect: 'default', note: 'No' },
  { paths: [['/foo', 'Prefix']], requests: ['/foo', '/foo/'], expect: 0, note: 'Yes' },
  { paths: [['/foo/', 'Prefix']], requests: ['/foo', '/foo/'], expect: 0, note: 'Yes' },
  { paths: [['/aaa/bb', 'Prefix']], requests: ['/aaa/bbb'], expect: 'default', note: 'No' },
  { paths: [['/aaa/bbb', 'Prefix']], requests: ['/aaa/bbb'], expect: 0, note: 'Yes' },
  {
    paths: [['/aaa/bbb/', 'Prefix']],
    requests: ['/aaa/bbb'],
    expect: 0,
    note: 'Yes, ignores trailing slash',
  },
  {
    paths: [['/aaa/bbb', 'Prefix']],
    requests: ['/aaa/bbb/'],
    expect: 0,
    note: 'Yes, matches trailing slash',
  },
  { paths: [['/aaa/bbb', 'Prefix']], requests: ['/aaa/bbb/ccc'], expect: 0, note: 'Yes, matches subpath' },
  {
    paths: [['/aaa/bbb', 'Prefix']],
    requests: ['/aaa/bbbxyz'],
    expect: 'default',
    note: 'No, does not match string prefix',
  },
  {
    paths: [
      ['/', 'Prefix'],
      ['/aaa', 'Prefix'],
    ],
    requests: ['/aaa/ccc'],
    expect: 1,
    note: 'Yes, matches /aaa prefix',
  },
  {
    paths: [
      ['/', 'Prefix'],
      ['/aaa', 'Prefix'],
      ['/aaa/bbb', 'Prefix'],
    ],
    requests: ['/aaa/bbb'],
    expect: 2,
    note: 'Yes, matches /aaa/bbb prefix',
  },
  {
    paths: [
      ['/', 'Prefix'],
      ['/aaa', 'Prefix'],
      ['/aaa/bbb', 'Prefix'],
    ],
    requests: ['/ccc'],
    expect: 0,
    note: 'Yes, matches / prefix',
  },
  { paths: [['/aaa', 'Prefix']], requests: ['/ccc'], expect: 'default', note: 'No, uses default backend' },
  {
    paths: [
      ['/foo', 'Prefix'],
      ['/foo', 'Exact'],
    ],
    requests: ['/foo'],
    expect: 1,
    note: 'Yes, prefers Exact',
  },
];

function label(r: Row): string {
  const kinds = new Set(r.paths.map(([, t]) => t));
  const kind = kinds.size > 1 ? 'Mixed' : [...kinds][0];
  const paths = r.paths.map(([p, t]) => (kinds.size > 1 ? `${p} (${t})` : p));
  return `${kind} ${paths.join(', ')} -> ${r.requests.join(', ')}: ${r.note}`;
}

for (const row of ROWS) {
  test(`Ingress docs path examples: ${label(row)}`, () => {
    const paths = row.paths.map(([p, t], i) => path(p, t, `p${i}`));
    const t = table([
      ingressClass('nginx', undefined, { isDefault: true }),
      ingress('default/docs', [rule('example.com', ...paths)]),
    ]);
    const get = router(t);
    for (const request of row.requests) {
      const r = get(request);
      if (row.expect === 'default') {
        assert.equal(r.status, 404, `${request}: ${r.reason}`);
        assert.equal(r.matched, false);
        assert.equal(r.ingress, undefined);
      } else {
        assert.equal(outcome(r), `p${row.expect}:80`, `${request}: ${r.reason}`);
        assert.equal(r.matched, true);
        assert.deepEqual([r.ingress, r.rule, r.pathIndex], ['default/docs', 0, row.expect]);
        assert.equal(r.path, row.paths[row.expect][0]);
        assert.equal(r.pathType, row.paths[row.expect][1]);
      }
    }
  });
}

test('Ingress docs "Multiple matches": the longest matching path wins, Exact before Prefix when equally long', () => {
  const t = table([
    ingressClass('nginx', undefined, { isDefault: true }),
    ingress('default/m', [
      rule(
        'example.com',
        path('/a', 'Prefix', 'short'),
        path('/a/b/c', 'Prefix', 'long'),
        path('/a/b', 'Exact', 'exact'),
        path('/a/b', 'Prefix', 'prefix'),
      ),
    ]),
  ]);
  const get = router(t);
  const cases: [string, string][] = [
    ['/a/b/c/d', 'long:80'],
    ['/a/b', 'exact:80'],
    ['/a/b/', 'prefix:80'],
    ['/a/bc', 'short:80'],
    ['/a', 'short:80'],
  ];
  for (const [p, want] of cases) assert.equal(outcome(get(p)), want, p);
});
