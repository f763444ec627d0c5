// The table as a whole: backend ports, the status address and listener (kind's ingress-nginx
// deployment), plain deterministic data, and examples/shop loaded like the CLI loads it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject } from '../../src/api/types.js';
import { computeIngressTable } from '../../src/ingress/index.js';
import { ManifestSource } from '../../src/source/manifests.js';
import { ingress, ingressClass, node, outcome, path, router, rule, table } from './fixtures.js';

const CLASS = ingressClass('nginx', undefined, { isDefault: true });

test('Ingress API: a backend names its Service port by number or by name, as written', () => {
  const get = router(
    table([
      CLASS,
      ingress('a/p', [
        rule('example.com', path('/n', 'Prefix', 'web', 8080), path('/s', 'Prefix', 'web', 'http')),
      ]),
    ]),
  );
  assert.deepEqual(get('/n').backend, { service: { namespace: 'a', name: 'web', port: 8080 } });
  assert.deepEqual(get('/s').backend, { service: { namespace: 'a', name: 'web', port: 'http' } });
});

test("kind's ingress-nginx (--publish-status-address=localhost): the Ingress address is localhost", () => {
  assert.deepEqual(
    table([CLASS, ingress('a/p', [rule('example.com', path('/', 'Prefix', 'web'))])]).addresses,
    ['localhost'],
  );
});

test("snapshots are honoured: the addresses served Ingresses carry in status.loadBalancer are the table's", () => {
  const withStatus = (ref: string, className: string, lb: { ip?: string; hostname?: string }[]) => {
    const i = ingress(ref, [rule('example.com', path('/', 'Prefix', 'web'))], { className });
    i.status = { loadBalancer: { ingress: lb } };
    return i;
  };
  const t = table([
    CLASS,
    ingressClass('other', 'example.com/other'),
    withStatus('a/one', 'nginx', [{ ip: '203.0.113.7' }]),
    withStatus('a/two', 'nginx', [{ hostname: 'lb.example.net' }, { ip: '203.0.113.7' }]),
    withStatus('a/ignored', 'other', [{ ip: '198.51.100.1' }]),
  ]);
  assert.deepEqual(t.addresses, ['203.0.113.7', 'lb.example.net']);
});

test('kind ingress guide: the controller holds hostPorts 80/443 on the node labelled ingress-ready=true, else the control plane', () => {
  const cp = node('podnet-control-plane', '172.18.0.2', { 'node-role.kubernetes.io/control-plane': '' });
  const w1 = node('podnet-worker', '172.18.0.3');
  const ready = node('podnet-worker2', '172.18.0.4', { 'ingress-ready': 'true' });
  assert.deepEqual(table([w1, cp]).listener, { node: 'podnet-control-plane', ips: ['172.18.0.2'] });
  assert.deepEqual(table([w1, cp, ready]).listener, { node: 'podnet-worker2', ips: ['172.18.0.4'] });
  assert.deepEqual(table([w1]).listener, { node: 'podnet-worker', ips: ['172.18.0.3'] });
  assert.equal(table([]).listener, undefined);
});

test('DESIGN.md "Deterministic": the table is plain data, the same whatever order the objects came in', () => {
  const objects: KubeObject[] = [
    CLASS,
    ingress('a/x', [rule('shop.example.com', path('/cart', 'Prefix', 'x'))]),
    ingress('b/y', [rule('shop.example.com', path('/cart', 'Prefix', 'y'), path('/', 'Prefix', 'home'))]),
    ingress('c/z', [
      rule('*.example.com', path('/', 'Prefix', 'z')),
      rule(undefined, path('/', 'Prefix', 'any')),
    ]),
  ];
  const render = (objs: KubeObject[]) => {
    const { classes, ignored, served, hosts, addresses, servers, conflicts } = table(objs);
    return JSON.stringify({ classes, ignored, served, hosts, addresses, servers, conflicts });
  };
  const once = render(objects);
  assert.equal(render([...objects].reverse()), once);
  assert.deepEqual(JSON.parse(once).servers.length, 3);
});

test("examples/shop: the default class nginx serves the shop Ingress; /api is api-proxy's, /apis the frontend's", async () => {
  const shop = fileURLToPath(new URL('../../../examples/shop', import.meta.url));
  const snapshot = await new ManifestSource({ paths: [shop], config: defaultClusterConfig() }).load();
  assert.ok(snapshot.ok, JSON.stringify(snapshot.diagnostics));
  const t = computeIngressTable(snapshot.store);
  assert.deepEqual([t.classes, t.hosts, t.ignored], [['nginx'], ['shop.example.com'], []]);
  assert.equal(t.listener?.node, 'podnet-control-plane');
  const https = (p: string) => t.route({ host: 'shop.example.com', path: p, scheme: 'https' });
  assert.equal(outcome(https('/api/orders')), 'api-proxy:api');
  assert.equal(outcome(https('/apis')), 'frontend:80');
  // The example's Secret holds placeholder text, so the controller presents its fake certificate;
  // plain HTTP is still redirected, as the host has a TLS section.
  assert.match(https('/').tls?.problem ?? '', /tls\.crt of Secret shop-web\/shop-tls is not a certificate/);
  assert.equal(t.route({ host: 'shop.example.com', path: '/', scheme: 'http' }).status, 308);
});
