// TLS: which Secret's certificate serves which SNI name (Ingress docs "TLS"; ingress-nginx
// createServers, extractTLSSecretName, certificate.lua), the default (fake) certificate when
// that fails, and the 308 redirect of plain HTTP (ssl-redirect, force-ssl-redirect).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/api/types.js';
import type { IngressOptions } from './fixtures.js';
import {
  ingress,
  ingressClass,
  LEGACY_CRT,
  LEGACY_KEY,
  outcome,
  path,
  rule,
  SHOP_CRT,
  SHOP_KEY,
  table,
  tlsSecret,
} from './fixtures.js';

const CLASS = ingressClass('nginx', undefined, { isDefault: true });
const SHOP_SECRET = tlsSecret('web/shop-tls', SHOP_CRT, SHOP_KEY);

function shop(
  hosts: string[],
  tls: IngressOptions['tls'],
  extra: KubeObject[] = [],
  opts: IngressOptions = {},
) {
  const rules = hosts.map((h) => rule(h, path('/', 'Prefix', 'frontend')));
  return table([CLASS, SHOP_SECRET, ...extra, ingress('web/shop', rules, { tls, ...opts })]);
}

const https = (t: ReturnType<typeof table>, host: string, p = '/') =>
  t.route({ host, path: p, scheme: 'https' });
const http = (t: ReturnType<typeof table>, host: string, p = '/') =>
  t.route({ host, path: p, scheme: 'http' });

test('Ingress docs TLS: the Secret named by the spec.tls entry listing the host serves it via SNI', () => {
  const t = shop(['shop.example.com'], [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  const r = https(t, 'shop.example.com');
  assert.deepEqual(r.tls, { secret: 'web/shop-tls', host: 'shop.example.com' });
  assert.equal(outcome(r), 'frontend:80');
  assert.deepEqual(t.servers.find((s) => s.host === 'shop.example.com')?.tls, {
    ingress: 'web/shop',
    secret: 'web/shop-tls',
  });
});

test('ingress-nginx extractTLSSecretName: a host no entry lists is served by an entry whose certificate covers it (wildcard SAN)', () => {
  const t = shop(['api.example.com'], [{ hosts: ['*.example.com'], secretName: 'shop-tls' }]);
  assert.deepEqual(https(t, 'api.example.com').tls, { secret: 'web/shop-tls', host: 'api.example.com' });
});

test('Go x509 VerifyHostname: a wildcard SAN covers exactly one label', () => {
  const t = shop(['a.b.example.com'], [{ hosts: ['*.example.com'], secretName: 'shop-tls' }]);
  assert.match(
    https(t, 'a.b.example.com').tls?.problem ?? '',
    /no entry lists a\.b\.example\.com and no certificate in it covers/,
  );
});

test('ingress-nginx: a certificate with no subjectAltName is checked against its Common Name', () => {
  const t = shop(
    ['legacy.example.org'],
    [{ hosts: ['legacy.example.org'], secretName: 'legacy' }],
    [tlsSecret('web/legacy', LEGACY_CRT, LEGACY_KEY)],
  );
  assert.deepEqual(https(t, 'legacy.example.org').tls, { secret: 'web/legacy', host: 'legacy.example.org' });
});

const FAKE = /the controller presents its default \(fake\) certificate/;

const PROBLEMS: [string, KubeObject[], string, RegExp][] = [
  ['the Secret does not exist', [], 'missing', /Secret web\/missing does not exist/],
  [
    'the Secret is in another namespace',
    [tlsSecret('other/elsewhere', SHOP_CRT, SHOP_KEY)],
    'elsewhere',
    /Secret web\/elsewhere does not exist/,
  ],
  [
    'tls.crt is no certificate',
    [tlsSecret('web/fake', 'example-not-a-real-cert', SHOP_KEY)],
    'fake',
    /tls\.crt of Secret web\/fake is not a certificate/,
  ],
  [
    'tls.key is no key',
    [tlsSecret('web/nokey', SHOP_CRT, 'nope')],
    'nokey',
    /tls\.key of Secret web\/nokey is not a private key/,
  ],
  [
    "the key is not the certificate's",
    [tlsSecret('web/mixed', SHOP_CRT, LEGACY_KEY)],
    'mixed',
    /is not the key of its certificate/,
  ],
  [
    'the certificate does not cover the host',
    [tlsSecret('web/legacy', LEGACY_CRT, LEGACY_KEY)],
    'legacy',
    /does not cover shop\.example\.com \(it names legacy\.example\.org\)/,
  ],
];

for (const [what, extra, secretName, problem] of PROBLEMS) {
  test(`ingress-nginx createServers: the default (fake) certificate when ${what}`, () => {
    const t = shop(['shop.example.com'], [{ hosts: ['shop.example.com'], secretName }], extra);
    const r = https(t, 'shop.example.com');
    assert.equal(r.tls?.secret, undefined);
    assert.match(r.tls?.problem ?? '', problem);
    assert.match(r.tls?.problem ?? '', FAKE);
    assert.equal(outcome(r), 'frontend:80', 'the request is still routed');
  });
}

test('ingress-nginx: a Secret of any type serves if it holds tls.crt and tls.key', () => {
  const opaque = tlsSecret('web/opaque', SHOP_CRT, SHOP_KEY, 'Opaque');
  const t = shop(['shop.example.com'], [{ hosts: ['shop.example.com'], secretName: 'opaque' }], [opaque]);
  assert.equal(https(t, 'shop.example.com').tls?.secret, 'web/opaque');
});

test('ingress-nginx: a host listed without a secretName gets the default certificate', () => {
  const t = shop(['shop.example.com'], [{ hosts: ['shop.example.com'] }]);
  assert.match(
    https(t, 'shop.example.com').tls?.problem ?? '',
    /spec\.tls\[0\] of Ingress web\/shop lists shop\.example\.com without a secretName/,
  );
});

test('ingress-nginx: a host of an Ingress with a TLS section that does not cover it gets the default certificate, and HTTPS redirects', () => {
  const t = shop(
    ['shop.example.com', 'admin.example.org'],
    [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
  );
  assert.match(https(t, 'admin.example.org').tls?.problem ?? '', /no entry lists admin\.example\.org/);
  assert.equal(http(t, 'admin.example.org').status, 308);
});

test("ingress-nginx: the oldest Ingress with a TLS section decides a host's certificate", () => {
  const older = ingress('web/older', [rule('shop.example.com', path('/a', 'Prefix', 'a'))], {
    created: '2025-01-01T00:00:00Z',
    tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
  });
  const newer = ingress('web/newer', [rule('shop.example.com', path('/b', 'Prefix', 'b'))], {
    created: '2025-02-01T00:00:00Z',
    tls: [{ hosts: ['shop.example.com'], secretName: 'missing' }],
  });
  const t = table([CLASS, SHOP_SECRET, newer, older]);
  assert.equal(https(t, 'shop.example.com').tls?.secret, 'web/shop-tls');
});

test("certificate.lua: a host without a certificate of its own is served by the wildcard server's one label up", () => {
  const wild = ingress('web/wild', [rule('*.example.com', path('/', 'Prefix', 'wild'))], {
    tls: [{ hosts: ['*.example.com'], secretName: 'shop-tls' }],
  });
  const plain = ingress('web/plain', [rule('blog.example.com', path('/', 'Prefix', 'blog'))]);
  const t = table([CLASS, SHOP_SECRET, wild, plain]);
  const r = https(t, 'blog.example.com');
  assert.deepEqual([outcome(r), r.tls?.secret], ['blog:80', 'web/shop-tls']);
  assert.equal(http(t, 'blog.example.com').status, 308);
});

test('Ingress docs TLS: a name no Ingress lists under spec.tls gets the default certificate, and plain HTTP is served', () => {
  const t = shop(['shop.example.com'], undefined);
  assert.match(
    https(t, 'shop.example.com').tls?.problem ?? '',
    /no served Ingress lists shop\.example\.com under spec\.tls/,
  );
  assert.equal(http(t, 'shop.example.com').matched, true);
});

test('TLS without SNI: a request to an address gets the default certificate', () => {
  const t = shop(['shop.example.com'], [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  assert.match(https(t, '172.18.0.2').tls?.problem ?? '', /no SNI name/);
});

test('ingress-nginx ssl-redirect: plain HTTP to a host with a certificate is redirected with 308 to https, port dropped', () => {
  const t = shop(['shop.example.com'], [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
  const r = t.route({ host: 'Shop.Example.com:8080', path: '/cart/?id=7', scheme: 'http' });
  assert.deepEqual([r.matched, r.status, r.redirect], [false, 308, 'https://Shop.Example.com/cart/?id=7']);
  assert.equal(r.ingress, 'web/shop', 'the location that redirected');
  assert.equal(
    http(t, 'shop.example.com', '/').redirect,
    'https://shop.example.com',
    'one trailing slash dropped',
  );
  assert.equal(http(t, 'shop.example.com', '/a/').redirect, 'https://shop.example.com/a');
});

test('ingress-nginx ssl-redirect: "false" on the Ingress keeps plain HTTP', () => {
  const t = shop(['shop.example.com'], [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], [], {
    annotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' },
  });
  assert.equal(outcome(http(t, 'shop.example.com')), 'frontend:80');
});

test('ingress-nginx force-ssl-redirect: plain HTTP is redirected even without a certificate', () => {
  const t = shop(['shop.example.com'], undefined, [], {
    annotations: { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' },
  });
  const r = http(t, 'shop.example.com', '/x');
  assert.deepEqual([r.status, r.redirect], [308, 'https://shop.example.com/x']);
  assert.match(r.reason, /force-ssl-redirect/);
});
