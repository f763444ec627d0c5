// spec.defaultBackend and the controller's own 404 (Ingress docs "DefaultBackend"; ingress-nginx
// createServers), and resource backends, which no controller podnet models can serve.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, ingressClass, outcome, path, router, rule, table } from './fixtures.js';

const CLASS = ingressClass('nginx', undefined, { isDefault: true });
const svc = (name: string) => ({ service: { name, port: { number: 8080 } } });
const T1 = '2025-01-01T00:00:00Z';
const T2 = '2025-02-01T00:00:00Z';

test('Ingress docs "DefaultBackend": an Ingress with no rules sends all traffic no rule takes to its backend', () => {
  const t = table([
    CLASS,
    ingress('web/catch', [], { defaultBackend: svc('fallback') }),
    ingress('web/site', [rule('shop.example.com', path('/', 'Prefix', 'shop'))]),
  ]);
  const get = router(t);
  const r = get('/anything', 'unknown.example.org');
  assert.equal(outcome(r), 'fallback:8080');
  assert.deepEqual([r.matched, r.defaultBackend, r.ingress, r.host], [true, true, 'web/catch', undefined]);
  assert.equal(outcome(get('/x', 'shop.example.com')), 'shop:80', 'a host with rules is not the catch-all');
});

test('ingress-nginx createServers: the oldest Ingress with only a defaultBackend configures the catch-all server', () => {
  const t = table([
    CLASS,
    ingress('a/newer', [], { defaultBackend: svc('newer'), created: T2 }),
    ingress('a/older', [], { defaultBackend: svc('older'), created: T1 }),
  ]);
  assert.equal(outcome(router(t)('/')), 'older:8080');
});

test("ingress-nginx: the catch-all / taken by a defaultBackend is that Ingress's; a rule without a host cannot replace it", () => {
  const t = table([
    CLASS,
    ingress('a/catch', [], { defaultBackend: svc('fallback'), created: T1 }),
    ingress('a/hostless', [rule(undefined, path('/', 'Prefix', 'hostless'), path('/x', 'Prefix', 'x'))], {
      created: T2,
    }),
  ]);
  const get = router(t);
  assert.equal(outcome(get('/')), 'fallback:8080');
  assert.equal(outcome(get('/x/1')), 'x:80', 'its other paths join the catch-all server');
  assert.deepEqual(t.conflicts, [
    {
      host: '',
      path: '/',
      pathType: 'Prefix',
      kept: { ingress: 'a/catch' },
      dropped: { ingress: 'a/hostless', rule: 0, pathIndex: 0 },
    },
  ]);
});

const WITH_RULES = table([
  CLASS,
  ingress('a/first', [rule('shop.example.com', path('/api', 'Prefix', 'api'))], {
    defaultBackend: svc('shop-home'),
    created: T1,
  }),
  ingress('a/second', [rule('shop.example.com', path('/cart', 'Prefix', 'cart'))], {
    defaultBackend: svc('cart-home'),
    created: T2,
  }),
  ingress('a/blog', [rule('blog.example.com', path('/posts', 'Prefix', 'posts'))], { created: T2 }),
]);

test("ingress-nginx: spec.defaultBackend of an Ingress with rules serves its hosts' requests that no path matches", () => {
  const get = router(WITH_RULES, 'shop.example.com');
  const r = get('/about');
  assert.equal(outcome(r), 'shop-home:8080');
  assert.deepEqual([r.defaultBackend, r.ingress, r.host], [true, 'a/first', 'shop.example.com']);
  assert.equal(outcome(get('/cart/1')), 'cart:80');
});

test("ingress-nginx: the host's root belongs to the first Ingress naming the host; a newer one's defaultBackend does not apply", () => {
  assert.equal(router(WITH_RULES, 'shop.example.com')('/nothing').ingress, 'a/first');
});

test('ingress-nginx: a defaultBackend serves neither other hosts nor the catch-all server', () => {
  const get = router(WITH_RULES);
  const blog = get('/', 'blog.example.com');
  assert.equal(blog.status, 404);
  assert.equal(blog.ingress, undefined);
  assert.equal(get('/', 'elsewhere.org').status, 404);
});

test("ingress-nginx: with no defaultBackend, the controller's default backend answers 404", () => {
  const r = router(WITH_RULES)('/', 'blog.example.com');
  assert.deepEqual([r.matched, r.status, r.backend], [false, 404, undefined]);
  assert.match(
    r.reason,
    /no path of host blog\.example\.com matches \/: the controller's default backend answers 404/,
  );
});

test("ingress-nginx: a rule path / replaces the host's default root location (no conflict)", () => {
  const t = table([
    CLASS,
    ingress('a/def', [rule('shop.example.com', path('/api', 'Prefix', 'api'))], {
      defaultBackend: svc('home'),
      created: T1,
    }),
    ingress('a/root', [rule('shop.example.com', path('/', 'Prefix', 'root'))], { created: T2 }),
  ]);
  assert.equal(outcome(router(t, 'shop.example.com')('/x')), 'root:80');
  assert.deepEqual(t.conflicts, []);
});

test('ingress-nginx syncIngress: an empty path is /', () => {
  const p = path('', 'ImplementationSpecific', 'all');
  const t = table([CLASS, ingress('a/empty', [rule('shop.example.com', p)])]);
  const r = router(t, 'shop.example.com')('/deep/path');
  assert.deepEqual([outcome(r), r.path], ['all:80', '/']);
});

const bucket = { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'icon-assets' } };

test('Ingress docs "Resource backends": a path to a resource is reported unsupported, and the controller answers 404', () => {
  const icons = { path: '/icons', pathType: 'Prefix' as const, backend: bucket };
  const t = table([CLASS, ingress('a/res', [rule('shop.example.com', icons)])]);
  const r = router(t, 'shop.example.com')('/icons/cart.svg');
  assert.deepEqual([r.matched, r.status, r.ingress, r.path], [false, 404, 'a/res', '/icons']);
  assert.deepEqual(r.backend, { ...bucket, unsupported: true });
  assert.match(r.reason, /resource, which ingress-nginx does not serve/);
});

test('ingress-nginx skips resource paths: a shorter path of the host serves instead, and the route says so', () => {
  const icons = { path: '/icons', pathType: 'Prefix' as const, backend: bucket };
  const t = table([
    CLASS,
    ingress('a/res', [rule('shop.example.com', icons, path('/', 'Prefix', 'frontend'))]),
  ]);
  const r = router(t, 'shop.example.com')('/icons/cart.svg');
  assert.equal(outcome(r), 'frontend:80');
  assert.match(
    r.reason,
    /paths\[0\] \(\/icons, Prefix\) matches first, but ingress-nginx has no location for its resource backend/,
  );
});

test('ingress-nginx: a resource spec.defaultBackend is not served: 404, with the reason', () => {
  const t = table([CLASS, ingress('a/res', [], { defaultBackend: bucket })]);
  const r = router(t)('/');
  assert.deepEqual([r.status, r.defaultBackend, r.ingress], [404, true, 'a/res']);
  assert.deepEqual(r.backend, { ...bucket, unsupported: true });
});
