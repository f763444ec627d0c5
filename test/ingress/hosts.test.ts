// Hosts: the Ingress docs "Hostname wildcards" table, exact hosts before wildcards, rules without
// a host, and the Host header as nginx reads it (case, port, trailing dot, addresses).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHost } from '../../src/ingress/request.js';
import { ingress, ingressClass, outcome, path, rule, table } from './fixtures.js';

const CLASS = ingressClass('nginx', undefined, { isDefault: true });

const WILDCARD = table([CLASS, ingress('default/wild', [rule('*.foo.com', path('/', 'Prefix', 'wild'))])]);
const get = (host: string, p = '/') => WILDCARD.route({ host, path: p, scheme: 'http' });

const WILDCARD_ROWS: [string, boolean, string][] = [
  ['bar.foo.com', true, 'Matches based on shared suffix'],
  ['baz.bar.foo.com', false, 'No match, wildcard only covers a single DNS label'],
  ['foo.com', false, 'No match, wildcard only covers a single DNS label'],
];

for (const [header, matches, note] of WILDCARD_ROWS) {
  test(`Ingress docs hostname wildcards: *.foo.com with Host ${header}: ${note}`, () => {
    const r = get(header);
    assert.equal(r.matched, matches, r.reason);
    if (matches) {
      assert.equal(r.host, '*.foo.com', 'the rule host as written');
      assert.equal(outcome(r), 'wild:80');
    } else {
      assert.equal(r.status, 404);
      assert.equal(r.host, undefined, 'the catch-all server answers');
    }
  });
}

test('ingress-nginx wildcard server name: the label is [\\w-]+ (letters, digits, _ and -)', () => {
  assert.equal(get('a_b-1.foo.com').matched, true);
  assert.equal(get('a%b.foo.com').matched, false);
});

const MIXED = table([
  CLASS,
  ingress('default/hosts', [
    rule('shop.example.com', path('/api', 'Prefix', 'exact-api')),
    rule('*.example.com', path('/', 'Prefix', 'wild')),
    rule(undefined, path('/', 'Prefix', 'anyhost')),
  ]),
]);
const mixed = (host: string, p = '/') => MIXED.route({ host, path: p, scheme: 'http' });

test('nginx server_name: an exact host is chosen before a wildcard that also matches', () => {
  assert.equal(outcome(mixed('shop.example.com', '/api/x')), 'exact-api:80');
  assert.equal(outcome(mixed('blog.example.com', '/api/x')), 'wild:80');
});

test('nginx server_name: the chosen host is final; a path it lacks is a 404, not the wildcard or hostless rule', () => {
  const r = mixed('shop.example.com', '/');
  assert.equal(r.status, 404, r.reason);
  assert.equal(r.host, 'shop.example.com');
});

test('Ingress rules: a rule without a host serves every host no rule names (ingress-nginx catch-all server)', () => {
  for (const host of ['other.org', 'example.com', '10.0.0.1', '[fd00::1]']) {
    const r = mixed(host);
    assert.equal(outcome(r), 'anyhost:80', host);
    assert.equal(r.host, undefined);
  }
});

test('Host header: case is ignored and a port is dropped (ngx_http_validate_host)', () => {
  for (const host of [
    'SHOP.Example.COM',
    'shop.example.com:8080',
    'Shop.Example.Com:443',
    'shop.example.com.',
  ])
    assert.equal(outcome(mixed(host, '/api')), 'exact-api:80', host);
});

test('ngx_http_validate_host: the name a Host header leaves, IPv6 literals keeping their brackets', () => {
  const cases: [string, string][] = [
    ['Shop.Example.COM', 'shop.example.com'],
    ['shop.example.com.:80', 'shop.example.com'],
    ['[FD00::1]:8443', '[fd00::1]'],
    ['[fd00::1]', '[fd00::1]'],
    ['10.0.0.1:8080', '10.0.0.1'],
    ['fd00::1', 'fd00'],
  ];
  for (const [raw, name] of cases) assert.deepEqual(parseHost(raw), { ok: true, value: name }, raw);
  assert.equal(outcome(mixed('[FD00::1]:8443', '/x')), 'anyhost:80');
});

test('Host header: an empty name, NUL, a slash or an empty label is refused with 400', () => {
  for (const host of ['', ':80', 'a..b.com', 'a/b.com', 'a\0b.com', '.']) {
    const r = mixed(host);
    assert.equal(r.status, 400, JSON.stringify(host));
    assert.equal(r.matched, false);
  }
});

test('table.hosts: every host with rules, sorted, wildcards as written; no entry for rules without a host', () => {
  assert.deepEqual(MIXED.hosts, ['*.example.com', 'shop.example.com']);
  assert.deepEqual(
    MIXED.servers.map((s) => s.host),
    ['', '*.example.com', 'shop.example.com'],
  );
});
