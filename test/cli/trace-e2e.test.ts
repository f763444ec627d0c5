// `podnet trace` end to end, as a user runs it: the "Connecting Applications with Services"
// tutorial (examples/connect-apps) and the shop (examples/shop) traced through DNS, Ingress,
// Services, policies and delivery, one golden file per connection. Each case names what it
// shows; refresh with UPDATE_GOLDEN=1 and review the diff.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGolden, podnet } from './cli.js';

const TUTORIAL = ['-f', 'examples/connect-apps'];
const SHOP = ['-f', 'examples/shop'];
// Pod names are generated from a stable hash (DESIGN.md: deterministic), so they can be named.
const NGINX = 'default/my-nginx-65cbd9b9c6-7nnkg';
const NGINX2 = 'default/my-nginx-65cbd9b9c6-v59x9';
const API = 'shop-api/api-5cd8464b9-47bbx';
const WORKER = 'shop-api/worker-c4f544784-dv27c';
const FRONTEND = 'shop-web/frontend-7d656b6974-kstsn';
const PGADMIN = 'shop-data/pgadmin-5b767ffc4d-mnpfk';

interface Case {
  readonly name: string;
  /** What the trace shows, as the test's title. */
  readonly shows: string;
  readonly args: string[];
  readonly source: string[];
  /** The verdict and the HTTP status (for URLs), from the JSON of the same trace. */
  readonly verdict: string;
  readonly status?: number;
}

const CASES: Case[] = [
  {
    name: 'tutorial-short-name.txt',
    shows:
      'tutorial: a pod reaches the my-nginx Service by its short name, through its search path, and may land on itself (hairpin SNAT)',
    args: ['trace', NGINX, 'my-nginx:80'],
    source: TUTORIAL,
    verdict: 'delivered',
  },
  {
    name: 'tutorial-fqdn.json',
    shows: 'tutorial: the fully qualified name from the other replica, as JSON',
    args: ['trace', NGINX2, 'my-nginx.default.svc.cluster.local:80', '-o', 'json'],
    source: TUTORIAL,
    verdict: 'delivered',
  },
  {
    name: 'tutorial-node-svc.txt',
    shows:
      'tutorial: an agent on a node reaches the Service by svc/; kube-proxy masquerades off-cluster sources',
    args: ['trace', 'node/podnet-worker', 'svc/default/my-nginx'],
    source: TUTORIAL,
    verdict: 'delivered',
  },
  {
    name: 'tutorial-external-url.txt',
    shows: 'tutorial: no Ingress exposes my-nginx, so from outside the controller answers 404',
    args: ['trace', 'external', 'http://my-nginx.example.com/'],
    source: TUTORIAL,
    verdict: 'no-route',
    status: 404,
  },
  {
    name: 'shop-https.txt',
    shows:
      'shop: https://shop.example.com/ from outside: Ingress rule, TLS, the controller connects to a frontend pod: 200',
    args: ['trace', 'external', 'https://shop.example.com/'],
    source: SHOP,
    verdict: 'delivered',
    status: 200,
  },
  {
    name: 'shop-https-api.json',
    shows: 'shop: the longest Prefix /api goes to the api-proxy backend (JSON)',
    args: ['trace', 'external', 'https://shop.example.com/api/orders', '-o', 'json'],
    source: SHOP,
    verdict: 'delivered',
    status: 200,
  },
  {
    name: 'shop-http-redirect.txt',
    shows: 'shop: plain HTTP to the TLS host is redirected with 308',
    args: ['trace', 'external', 'http://shop.example.com/cart'],
    source: SHOP,
    verdict: 'delivered',
    status: 308,
  },
  {
    name: 'shop-unknown-host.txt',
    shows: 'shop: a host no rule names gets the controller 404',
    args: ['trace', 'external', 'https://admin.example.com/'],
    source: SHOP,
    verdict: 'no-route',
    status: 404,
  },
  {
    name: 'shop-loadbalancer-local.txt',
    shows:
      'shop: the LoadBalancer address with externalTrafficPolicy Local keeps the client address, which the ipBlock admits',
    args: ['trace', 'external', '172.18.255.200:80', '--from-ip', '198.51.100.7'],
    source: SHOP,
    verdict: 'delivered',
  },
  {
    name: 'shop-nodeport-local-drop.txt',
    shows: 'shop: the frontend NodePort on a node without a frontend pod is dropped (Local policy)',
    args: ['trace', 'external', '172.18.0.2:31583'],
    source: SHOP,
    verdict: 'no-route',
  },
  {
    name: 'shop-nodeport-snat.txt',
    shows:
      'shop: pgAdmin NodePort with externalTrafficPolicy Cluster: the pod sees the node address, and the ipBlock for the node network decides',
    args: ['trace', 'external', '172.18.0.2:30432', '--from-ip', '198.51.100.7'],
    source: SHOP,
    verdict: 'delivered',
  },
  {
    name: 'shop-frontend-api-url.txt',
    shows:
      "shop: the frontend's API_URL, a Service name from a pod: DNS, cluster IP, endpoint, policy allow: 200",
    args: ['trace', FRONTEND, 'http://api.shop-api.svc.cluster.local/'],
    source: SHOP,
    verdict: 'delivered',
    status: 200,
  },
  {
    name: 'shop-svc-metrics-denied.txt',
    shows: "shop: the api's metrics port by Service port name is denied at the api pods",
    args: ['trace', 'shop-web/debug', 'svc/shop-api/api:metrics'],
    source: SHOP,
    verdict: 'denied',
  },
  {
    name: 'shop-api-postgres-headless.txt',
    shows:
      'shop: the api reaches postgres through its headless Service name: DNS gives the pods, no kube-proxy',
    args: ['trace', API, 'postgres.shop-data.svc.cluster.local:5432'],
    source: SHOP,
    verdict: 'delivered',
  },
  {
    name: 'shop-worker-postgres-0.txt',
    shows: "shop: the worker reaches postgres-0's stable name, and postgres's ingress policy denies it",
    args: ['trace', WORKER, 'postgres-0.postgres.shop-data:5432'],
    source: SHOP,
    verdict: 'denied',
  },
  {
    name: 'shop-worker-egress-denied.txt',
    shows: "shop: shop-api's egress policy denies the worker the storefront, after DNAT to a frontend pod",
    args: ['trace', WORKER, 'svc/shop-web/frontend:80'],
    source: SHOP,
    verdict: 'denied',
  },
  {
    name: 'shop-pgadmin-postgres.txt',
    shows:
      "shop: pgAdmin reaches postgres by the headless Service's short name in its own namespace; its egress policy admits it",
    args: ['trace', PGADMIN, 'postgres:5432'],
    source: SHOP,
    verdict: 'delivered',
  },
  {
    name: 'shop-unserved-port.txt',
    shows: "shop: the api's cluster IP on a port it does not serve is rejected by kube-proxy",
    args: ['trace', 'shop-web/debug', '10.96.126.103:81'],
    source: SHOP,
    verdict: 'no-route',
  },
  {
    name: 'shop-nxdomain.txt',
    shows: 'shop: a name in the cluster zone that does not exist',
    args: ['trace', 'shop-web/debug', 'nosuch.shop-web.svc.cluster.local.:80'],
    source: SHOP,
    verdict: 'nxdomain',
  },
  {
    name: 'shop-refused.txt',
    shows: 'shop: a name outside the cluster zone, which the cluster DNS does not forward in the model',
    args: ['trace', 'shop-web/debug', 'example.com:443'],
    source: SHOP,
    verdict: 'refused',
  },
];

for (const c of CASES) {
  test(`trace e2e ${c.name}: ${c.shows}`, () => {
    const r = podnet([...c.args, ...c.source]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden(`trace/${c.name}`, r.stdout);
    const json = c.args.includes('-o') ? r.stdout : podnet([...c.args, '-o', 'json', ...c.source]).stdout;
    const t = JSON.parse(json);
    assert.equal(t.verdict, c.verdict);
    assert.equal(t.http?.status, c.status);
  });
}
