// Hostile request paths. nginx matches locations against the normalised URI (nginx docs,
// "location": "%XX" decoded, "." and ".." resolved, adjacent slashes merged), and refuses with
// 400 what ngx_http_parse_complex_uri cannot parse.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, ingressClass, outcome, path, router, rule, table } from './fixtures.js';

const get = router(
  table([
    ingressClass('nginx', undefined, { isDefault: true }),
    ingress('a/site', [
      rule(
        'example.com',
        path('/', 'Prefix', 'root'),
        path('/api', 'Prefix', 'api'),
        path('/login', 'Exact', 'login'),
        path('/café', 'Prefix', 'cafe'),
      ),
    ]),
  ]),
);

const ROUTED: [string, string, string][] = [
  ['/api/../admin', 'root:80', '".." is resolved before matching: /admin'],
  ['/x/../login', 'login:80', 'an Exact path matches the resolved URI'],
  ['/api/./v1', 'api:80', '"." is dropped'],
  ['//api//v1', 'api:80', 'adjacent slashes merge'],
  ['/%61pi/v1', 'api:80', '%61 decodes to "a"'],
  ['/x/%2e%2e/api', 'api:80', 'a decoded ".." is resolved too'],
  ['/x%2F..%2Fapi', 'api:80', 'a decoded slash separates elements'],
  ['/api/..', 'root:80', 'a trailing ".." climbs one level: /'],
  ['/caf%C3%A9/menu', 'cafe:80', "UTF-8 escapes decode to the rule's characters"],
  ['/api?redirect=/../..', 'api:80', 'the query is not part of the path'],
  ['/api#top', 'api:80', 'nor is a fragment'],
  ['/api%3Fx', 'root:80', 'an encoded "?" stays in the path: /api?x is no element-wise match of /api'],
  ['', 'root:80', 'an empty path is "/"'],
  ['?x=1', 'root:80', 'only a query: the path is "/"'],
];

for (const [p, want, why] of ROUTED) {
  test(`nginx URI normalisation: ${JSON.stringify(p)} -> ${want} (${why})`, () => {
    const r = get(p);
    assert.equal(outcome(r), want, r.reason);
  });
}

const REFUSED: [string, string][] = [
  ['/..', 'climbs above the root'],
  ['/a/../../b', 'climbs above the root'],
  ['/%2e%2e/etc', 'climbs above the root'],
  ['/a%zz', 'malformed percent-escape'],
  ['/a%4', 'malformed percent-escape'],
  ['/a%00b', 'NUL'],
  ['api/v1', "does not start with '/'"],
  ['http://example.com/api', "does not start with '/'"],
];

for (const [p, why] of REFUSED) {
  test(`ngx_http_parse_complex_uri refuses ${JSON.stringify(p)} with 400 (${why})`, () => {
    const r = get(p);
    assert.deepEqual([r.matched, r.status], [false, 400]);
    assert.match(r.reason, new RegExp(why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
}

test('Ingress paths are case-sensitive on ordinary hosts (Ingress docs: Exact and Prefix match case-sensitively)', () => {
  assert.equal(outcome(get('/API/v1')), 'root:80');
  assert.equal(outcome(get('/Login')), 'root:80');
});
