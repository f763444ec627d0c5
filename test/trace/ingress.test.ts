// URLs (src/trace/http.ts, controller.ts, upstream.ts): the ingress controller's routing, its own
// connection to the backend (the source NetworkPolicies see), and the HTTP status a client gets:
// 200, the controller's 404, 308 to HTTPS, 503 without endpoints, 504 when a policy drops the
// controller's connection (ingress-nginx's answers).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ingress, IngressClass, KubeObject, Pod } from '../../src/api/types.js';
import { engine, namespace, pod, policy } from '../netpol/engine-fixtures.js';
import { hop, kinds, service, traceIn } from './fixtures.js';

const HTTP = [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }];

function ingressClass(name: string, controller: string, isDefault = false): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    spec: { controller },
  };
}

function path(p: string, name: string, port: number | string) {
  return {
    path: p,
    pathType: 'Prefix' as const,
    backend: { service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } },
  };
}

function ingress(ref: string, spec: Ingress['spec'], annotations?: Record<string, string>): Ingress {
  const [namespace, name] = ref.split('/');
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec,
  };
}

const SHOP = ingress('web/shop', {
  ingressClassName: 'nginx',
  rules: [
    {
      host: 'shop.example.com',
      http: {
        paths: [
          path('/', 'front', 80),
          path('/empty', 'empty', 80),
          path('/missing', 'nosuch', 80),
          path('/badport', 'front', 'grpc'),
        ],
      },
    },
  ],
});

/** ingress-nginx gives every host of an Ingress with a TLS section a certificate, and so a redirect. */
const SECURE = ingress('web/secure', {
  ingressClassName: 'nginx',
  tls: [{ hosts: ['secure.example.com'], secretName: 'secure-tls' }],
  rules: [{ host: 'secure.example.com', http: { paths: [path('/', 'front', 80)] } }],
});

/** Only the ingress controller's namespace may reach the storefront. */
const FROM_CONTROLLER = policy('web/front-from-ingress-nginx', {
  podSelector: { matchLabels: { app: 'front' } },
  ingress: [
    { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
  ],
});

/** kind's ingress-nginx: a controller pod with hostPorts 80 and 443 on a node. */
function controllerPod(): Pod {
  const p = pod('ingress-nginx/ingress-nginx-controller-abcde', {
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    node: 'podnet-worker2',
    ports: [
      { name: 'http', containerPort: 80, hostPort: 80, protocol: 'TCP' },
      { name: 'https', containerPort: 443, hostPort: 443, protocol: 'TCP' },
    ],
  });
  return p;
}

function cluster(extra: KubeObject[] = []) {
  return engine([
    namespace('web'),
    namespace('ingress-nginx'),
    ingressClass('nginx', 'k8s.io/ingress-nginx', true),
    ingressClass('other', 'example.com/other-controller'),
    pod('web/front-1', { labels: { app: 'front' }, ports: HTTP }),
    pod('web/front-2', { labels: { app: 'front' }, node: 'podnet-worker2', ports: HTTP }),
    pod('web/client'),
    service('web/front', { selector: { app: 'front' }, ports: [{ port: 80, targetPort: 'http' }] }),
    service('web/empty', { selector: { app: 'nothing' }, ports: [{ port: 80, targetPort: 'http' }] }),
    SHOP,
    SECURE,
    ingress('web/other', {
      ingressClassName: 'other',
      rules: [{ host: 'shop.example.com', http: { paths: [path('/', 'front', 80)] } }],
    }),
    ...extra,
  ]);
}

const C = cluster();

test('Ingress: from outside, a URL whose host is a name reaches the controller and is routed by the rules for that host; the controller connects to a ready endpoint itself: 200', () => {
  const t = traceIn(C, 'external', 'http://shop.example.com/cart');
  assert.deepEqual(kinds(t), [
    'source',
    'ingress',
    'upstream',
    'egress-policy',
    'ingress-policy',
    'delivery',
  ]);
  const ing = hop(t, 'ingress');
  assert.equal(ing.via, 'name');
  assert.deepEqual(ing.controller, {
    name: 'k8s.io/ingress-nginx',
    classes: ['nginx'],
    mode: 'host',
    endpoint: { kind: 'node', node: 'podnet-control-plane', ip: '172.18.0.2' },
  });
  assert.equal(ing.ingress, 'web/shop');
  assert.deepEqual([ing.rule, ing.pathIndex, ing.path, ing.pathType], [0, 0, '/', 'Prefix']);
  assert.deepEqual(ing.backend, { service: { namespace: 'web', name: 'front', port: 80 } });
  const up = hop(t, 'upstream');
  assert.deepEqual(up.candidates.map((c) => `${c.pod} ${c.port} ${c.weight}`).sort(), [
    'web/front-1 8080 0.5',
    'web/front-2 8080 0.5',
  ]);
  assert.ok(up.chosen);
  // The controller is the client of the second connection: a node's process here.
  assert.deepEqual(hop(t, 'ingress-policy').peer, ing.controller.endpoint);
  assert.equal(hop(t, 'egress-policy').reason, 'not-enforced');
  assert.equal(t.verdict, 'delivered');
  assert.deepEqual(t.http, { status: 200, backend: { service: 'web/front', port: '80' } });
  assert.equal(t.endpoint?.pod, up.chosen.pod);
});

test('Ingress: Ingresses of another class that name the host are listed as ignored, with the reason', () => {
  const ing = hop(traceIn(C, 'external', 'http://shop.example.com/'), 'ingress');
  assert.deepEqual(
    ing.ignored.map((i) => i.ingress),
    ['web/other'],
  );
  assert.match(ing.ignored[0].reason, /other/);
});

test('Ingress: a host no rule names gets the controller default backend 404: verdict no-route, nothing proxied', () => {
  const t = traceIn(C, 'external', 'http://unknown.example.com/');
  assert.deepEqual(kinds(t), ['source', 'ingress']);
  assert.equal(t.verdict, 'no-route');
  assert.deepEqual(t.http, { status: 404 });
  assert.equal(hop(t, 'ingress').status, 404);
});

test('Ingress: plain HTTP to a host with TLS is redirected to HTTPS with 308 (ssl-redirect), answered by the controller itself', () => {
  const t = traceIn(C, 'external', 'http://secure.example.com/a');
  assert.equal(t.verdict, 'delivered');
  assert.deepEqual(t.http, { status: 308, redirect: 'https://secure.example.com/a' });
  assert.deepEqual(kinds(t), ['source', 'ingress']);
  const https = traceIn(C, 'external', 'https://secure.example.com/a');
  assert.equal(https.http?.status, 200);
  assert.equal(hop(https, 'ingress').tls?.host, 'secure.example.com');
});

test('Ingress: a backend with no ready endpoint, a missing Service or a missing port: ingress-nginx answers 503 (verdict no-endpoints)', () => {
  for (const [p, why] of [
    ['/empty', /has no IPv4 endpoint/],
    ['/missing', /does not exist/],
    ['/badport', /has no port "grpc"/],
  ] as const) {
    const t = traceIn(C, 'external', `http://shop.example.com${p}`);
    assert.equal(t.verdict, 'no-endpoints', p);
    assert.equal(t.http?.status, 503, p);
    assert.match(hop(t, 'upstream').reason, why);
    assert.deepEqual(kinds(t), ['source', 'ingress', 'upstream'], p);
  }
});

test('Ingress: a policy admitting only the controller namespace denies podnet playing the controller on a node: the controller times out, 504', () => {
  const t = traceIn(cluster([FROM_CONTROLLER]), 'external', 'http://shop.example.com/');
  assert.equal(t.verdict, 'denied');
  assert.equal(t.http?.status, 504);
  assert.equal(hop(t, 'ingress-policy').reason, 'policy-deny');
});

test('Ingress: with an ingress-nginx controller pod (kind deploys it with hostPorts 80/443), clients reach it through the hostPort and the backend sees the pod', () => {
  const c = cluster([controllerPod(), FROM_CONTROLLER]);
  const t = traceIn(c, '198.51.100.7', 'http://shop.example.com/');
  assert.deepEqual(kinds(t), [
    'source',
    'host-port',
    'egress-policy',
    'ingress-policy',
    'ingress',
    'upstream',
    'egress-policy',
    'ingress-policy',
    'delivery',
  ]);
  assert.equal(hop(t, 'host-port').node, 'podnet-worker2');
  const ing = hop(t, 'ingress');
  assert.equal(ing.controller.mode, 'pod');
  assert.equal(ing.controller.endpoint.kind, 'pod');
  // The first connection arrives at the controller pod with the client's address (portmap keeps it).
  assert.deepEqual(hop(t, 'ingress-policy').peer, { kind: 'external', ip: '198.51.100.7' });
  const backend = hop(t, 'ingress-policy', 'last');
  assert.deepEqual(backend.peer, ing.controller.endpoint);
  assert.equal(backend.reason, 'policy-allow');
  assert.equal(t.verdict, 'delivered');
  assert.equal(t.http?.status, 200);
});

test('Ingress: service-upstream makes the controller connect to the cluster IP: kube-proxy chooses the endpoint (a service hop)', () => {
  const upstream = ingress(
    'web/via-cluster-ip',
    {
      ingressClassName: 'nginx',
      rules: [{ host: 'vip.example.com', http: { paths: [path('/', 'front', 80)] } }],
    },
    { 'nginx.ingress.kubernetes.io/service-upstream': 'true' },
  );
  const t = traceIn(cluster([upstream]), 'external', 'http://vip.example.com/');
  assert.deepEqual(kinds(t), ['source', 'ingress', 'service', 'egress-policy', 'ingress-policy', 'delivery']);
  assert.equal(hop(t, 'service').frontend.kind, 'ClusterIP');
  assert.equal(t.http?.status, 200);
});

test('Ingress: from a pod, a URL host is looked up in the cluster DNS and connected to directly; a Service host involves no Ingress', () => {
  const t = traceIn(C, 'web/client', 'http://front/');
  assert.deepEqual(kinds(t), ['source', 'dns', 'service', 'egress-policy', 'ingress-policy', 'delivery']);
  assert.deepEqual(t.http, { status: 200, backend: { service: 'web/front', port: '80' } });
  // An Ingress host is no cluster name: without an upstream DNS the lookup is refused.
  const outside = traceIn(C, 'web/client', 'http://shop.example.com/');
  assert.equal(outside.verdict, 'refused');
  assert.deepEqual(outside.http, {});
});

test('Ingress: a URL whose host is the controller address is routed by the rules without a host (here none: 404)', () => {
  const t = traceIn(C, 'external', 'http://172.18.0.2/');
  assert.equal(hop(t, 'ingress').via, 'address');
  assert.equal(t.http?.status, 404);
});

test('Ingress: a URL delivered to a port no container declares gets no status: what answers there is not in the manifests', () => {
  const ip = C.store.get('Pod', 'web', 'front-1')?.status?.podIP as string;
  const t = traceIn(C, 'web/client', `http://${ip}:9999/`);
  assert.equal(t.verdict, 'delivered');
  assert.equal(hop(t, 'delivery').declared, false);
  assert.deepEqual(t.http, {});
});
