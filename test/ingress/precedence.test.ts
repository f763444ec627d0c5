// Precedence across all served Ingresses of one host (ingress-nginx merges them into one
// server), conflicts (the older Ingress keeps a path), ImplementationSpecific (ingress-nginx
// reads it as Prefix), and hosts whose paths are regular expressions (use-regex, rewrite-target).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, ingressClass, outcome, path, router, rule, table } from './fixtures.js';

const CLASS = ingressClass('nginx', undefined, { isDefault: true });
const H = 'shop.example.com';
const T1 = '2025-01-01T00:00:00Z';
const T2 = '2025-02-01T00:00:00Z';

test('ingress-nginx getBackendServers: every served Ingress of a host merges into one server; the longest path wins across them', () => {
  const get = router(
    table([
      CLASS,
      ingress('web/site', [rule(H, path('/', 'Prefix', 'frontend'))]),
      ingress('api/gw', [rule(H, path('/api', 'Prefix', 'api'), path('/api/v1/login', 'Exact', 'login'))]),
    ]),
    H,
  );
  assert.equal(outcome(get('/')), 'frontend:80');
  assert.equal(get('/').ingress, 'web/site');
  assert.equal(outcome(get('/api/v1')), 'api:80');
  assert.equal(get('/api/v1').ingress, 'api/gw');
  assert.equal(outcome(get('/api/v1/login')), 'login:80');
  assert.equal(outcome(get('/apis')), 'frontend:80', 'Prefix /api does not match /apis');
});

test('Ingress docs "Multiple matches" across Ingresses: an Exact path beats an equally long Prefix of another Ingress', () => {
  const get = router(
    table([
      CLASS,
      ingress('a/prefix', [rule(H, path('/foo', 'Prefix', 'prefix'))], { created: T1 }),
      ingress('b/exact', [rule(H, path('/foo', 'Exact', 'exact'))], { created: T2 }),
    ]),
    H,
  );
  assert.equal(outcome(get('/foo')), 'exact:80');
  assert.equal(outcome(get('/foo/')), 'prefix:80');
});

test('ingress-nginx: the same host, path and type in two Ingresses is served by the older (creationTimestamp)', () => {
  const t = table([
    CLASS,
    ingress('z/new', [rule(H, path('/cart', 'Prefix', 'new-cart'))], { created: T2 }),
    ingress('z/old', [rule(H, path('/cart', 'Prefix', 'old-cart'))], { created: T1 }),
  ]);
  const r = router(t, H)('/cart/items');
  assert.equal(outcome(r), 'old-cart:80');
  assert.equal(r.ingress, 'z/old');
  assert.deepEqual(t.conflicts, [
    {
      host: H,
      path: '/cart',
      pathType: 'Prefix',
      kept: { ingress: 'z/old', rule: 0, pathIndex: 0 },
      dropped: { ingress: 'z/new', rule: 0, pathIndex: 0 },
    },
  ]);
});

test('ingress-nginx sortIngressSlice: on equal timestamps the greater ns/name is older, and keeps the path', () => {
  const t = table([
    CLASS,
    ingress('a/one', [rule(H, path('/cart', 'Prefix', 'a-cart'))]),
    ingress('b/one', [rule(H, path('/cart', 'Prefix', 'b-cart'))]),
  ]);
  assert.equal(outcome(router(t, H)('/cart')), 'b-cart:80');
  assert.equal(t.conflicts[0].dropped.ingress, 'a/one');
});

test('ingress-nginx SetDefaultNGINXPathType: ImplementationSpecific matches as Prefix, element by element', () => {
  const get = router(
    table([CLASS, ingress('a/is', [rule(H, path('/foo', 'ImplementationSpecific', 'foo'))])]),
    H,
  );
  assert.equal(outcome(get('/foo')), 'foo:80');
  assert.equal(outcome(get('/foo/bar')), 'foo:80');
  assert.equal(get('/foobar').status, 404, 'no string prefix, no regex');
  assert.equal(get('/foo/bar').pathType, 'ImplementationSpecific', 'the route shows the type as written');
});

test('ingress-nginx: ImplementationSpecific and Prefix of the same path are one location; the older Ingress keeps it', () => {
  const t = table([
    CLASS,
    ingress('a/prefix', [rule(H, path('/foo', 'Prefix', 'prefix'))], { created: T2 }),
    ingress('a/impl', [rule(H, path('/foo', 'ImplementationSpecific', 'impl'))], { created: T1 }),
  ]);
  assert.equal(outcome(router(t, H)('/foo/x')), 'impl:80');
  assert.equal(t.conflicts.length, 1);
});

test('ingress-nginx updateServerLocations: Prefix /foo and /foo/ are one nginx location (/foo/); the older keeps it', () => {
  const t = table([
    CLASS,
    ingress('a/slash', [rule(H, path('/foo/', 'Prefix', 'slash'))], { created: T2 }),
    ingress('a/bare', [rule(H, path('/foo', 'Prefix', 'bare'))], { created: T1 }),
  ]);
  assert.equal(outcome(router(t, H)('/foo')), 'bare:80');
  assert.deepEqual(
    t.conflicts.map((c) => [c.path, c.kept.ingress, c.dropped.ingress]),
    [['/foo/', 'a/bare', 'a/slash']],
  );
});

test('ingress-nginx: the same path with different types (Exact and Prefix) is no conflict', () => {
  const t = table([
    CLASS,
    ingress('a/p', [rule(H, path('/foo', 'Prefix', 'p'))]),
    ingress('a/e', [rule(H, path('/foo', 'Exact', 'e'))]),
  ]);
  assert.deepEqual(t.conflicts, []);
});

const REGEX = table([
  CLASS,
  ingress('a/regex', [rule(H, path('/api/v[0-9]+', 'ImplementationSpecific', 'versioned'))], {
    annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
  }),
  ingress('a/plain', [
    rule(H, path('/api', 'Prefix', 'api'), path('/exact', 'Exact', 'exact')),
    rule('other.example.com', path('/api', 'Prefix', 'other')),
  ]),
]);

test('ingress-nginx use-regex: every path of the host becomes a case-insensitive expression anchored at the start', () => {
  const get = router(REGEX, H);
  assert.equal(outcome(get('/api/v2/users')), 'versioned:80');
  assert.equal(outcome(get('/API/V2')), 'versioned:80', 'case-insensitive (~*)');
  assert.equal(outcome(get('/apix')), 'api:80', "another Ingress's Prefix /api is now ^/api");
  assert.equal(outcome(get('/exactly')), 'exact:80', 'an Exact path is now ^/exact');
  const server = REGEX.servers.find((s) => s.host === H);
  assert.equal(server?.regex, true);
  assert.deepEqual(
    server?.locations.map((l) => [l.expression, l.match]),
    [
      ['^/api/v[0-9]+', 'Regex'],
      ['^/exact', 'Regex'],
      ['^/api', 'Regex'],
      ['^/', 'Regex'],
    ],
  );
});

test('ingress-nginx use-regex applies to the host it is on; other hosts keep element-wise Prefix matching', () => {
  const get = router(REGEX, 'other.example.com');
  assert.equal(get('/apix').status, 404);
  assert.equal(outcome(get('/api/x')), 'other:80');
});

test('ingress-nginx: regex locations are tried longest path first (then by path, descending); the first match wins', () => {
  const get = router(
    table([
      CLASS,
      ingress(
        'a/r',
        [
          rule(
            H,
            path('/a.', 'ImplementationSpecific', 'dot'),
            path('/ab', 'ImplementationSpecific', 'ab'),
            path('/a.c', 'ImplementationSpecific', 'adotc'),
          ),
        ],
        {
          annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
        },
      ),
    ]),
    H,
  );
  assert.equal(outcome(get('/abc')), 'adotc:80', '/a.c is longest');
  assert.equal(outcome(get('/abd')), 'ab:80', '/ab sorts before /a. (b > .)');
  assert.equal(outcome(get('/axd')), 'dot:80');
});

test('ingress-nginx rewrite-target implies regular expressions for the host', () => {
  const t = table([
    CLASS,
    ingress('a/rw', [rule(H, path('/app(/|$)(.*)', 'ImplementationSpecific', 'app'))], {
      annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
    }),
  ]);
  assert.equal(outcome(router(t, H)('/app/x')), 'app:80');
  assert.equal(t.servers.find((s) => s.host === H)?.regex, true);
});

test('ingress-nginx updateServerLocations: on a regex host, a Prefix path with an Exact twin becomes ^/path/', () => {
  const t = table([
    CLASS,
    ingress('a/r', [rule(H, path('/x', 'ImplementationSpecific', 'x'))], {
      annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
    }),
    ingress('a/p', [rule(H, path('/foo', 'Prefix', 'prefix'), path('/foo', 'Exact', 'exact'))]),
  ]);
  const locations = t.servers.find((s) => s.host === H)?.locations ?? [];
  assert.deepEqual(
    locations.filter((l) => l.path === '/foo').map((l) => [l.pathType, l.expression]),
    [
      ['Prefix', '^/foo/'],
      ['Exact', '^/foo'],
    ],
  );
});

test('ingress-nginx: a path that is no valid expression matches nothing and says why', () => {
  const t = table([
    CLASS,
    ingress('a/bad', [rule(H, path('/a(', 'ImplementationSpecific', 'bad'), path('/', 'Prefix', 'root'))], {
      annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
    }),
  ]);
  const bad = t.servers.find((s) => s.host === H)?.locations.find((l) => l.path === '/a(');
  assert.match(bad?.problem ?? '', /not a regular expression/);
  assert.equal(outcome(router(t, H)('/a(')), 'root:80');
});
