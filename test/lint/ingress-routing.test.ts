import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHOP_CRT, SHOP_KEY } from '../ingress/fixtures.js';
import { type Case, checkCase, deployment, lintYAML, located, NAMESPACE, service } from './fixtures.js';

const CLASSES = `
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: traefik}
spec: {controller: traefik.io/ingress-controller}
`;

const WEB =
  NAMESPACE +
  deployment('web') +
  service('web', 'web', '[{name: http, port: 80, targetPort: http}]') +
  CLASSES;

interface IngressOptions {
  host?: string;
  path?: string;
  /** Spec lines before `rules` (two-space indented block YAML). */
  spec?: string;
  created?: string;
}

function ingress(name: string, o: IngressOptions = {}): string {
  return `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: app${o.created ? `, creationTimestamp: "${o.created}"` : ''}}
spec:
${o.spec ?? ''}  rules:
    - host: ${o.host ?? 'shop.example.com'}
      http:
        paths:
          - {path: ${o.path ?? '/'}, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function tlsSecret(name: string, crt: string, key: string): string {
  return `
---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: app}
type: kubernetes.io/tls
data: {tls.crt: ${b64(crt)}, tls.key: ${b64(key)}}
`;
}

const TLS = '  tls: [{hosts: [shop.example.com], secretName: shop-tls}]\n';

const CASES: Case[] = [
  {
    name: 'Ingress: an Ingress of another IngressClass is ignored by the served controller (Ingress class)',
    yaml: WEB + ingress('shop', { spec: '  ingressClassName: traefik\n' }),
    code: 'ingress-ignored',
    expect: ['Ingress/app/shop spec.ingressClassName'],
    message: ['its class is traefik'],
  },
  {
    name: 'Ingress: the legacy kubernetes.io/ingress.class annotation names the class too',
    yaml: (WEB + ingress('shop')).replace(
      'metadata: {name: shop, namespace: app}',
      'metadata: {name: shop, namespace: app, annotations: {kubernetes.io/ingress.class: traefik}}',
    ),
    code: 'ingress-ignored',
    expect: ['Ingress/app/shop metadata.annotations[kubernetes.io/ingress.class]'],
  },
  {
    name: 'Ingress: an Ingress without a class belongs to the default IngressClass, which is served (silent)',
    yaml: WEB + ingress('shop'),
    code: 'ingress-ignored',
    expect: [],
  },
  {
    name: 'Ingress: the same host and path in two Ingresses: the oldest keeps it (ingress-nginx)',
    yaml:
      WEB +
      ingress('new', { created: '2024-02-01T00:00:00Z', path: '/api' }) +
      ingress('old', { created: '2024-01-01T00:00:00Z', path: '/api' }),
    code: 'ingress-path-conflict',
    expect: ['Ingress/app/new spec.rules[0].http.paths[0].path'],
    message: [
      'host shop.example.com, Prefix path /api is already routed by spec.rules[0].http.paths[0].path of Ingress app/old',
    ],
  },
  {
    name: "Ingress: an older Ingress with only a defaultBackend holds the catch-all '/' a hostless rule would take",
    yaml: `${WEB}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback, namespace: app, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: any-host, namespace: app, creationTimestamp: "2024-02-01T00:00:00Z"}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`,
    code: 'ingress-path-conflict',
    expect: ['Ingress/app/any-host spec.rules[0].http.paths[0].path'],
    message: ['any host, Prefix path / is already routed by spec.defaultBackend of Ingress app/fallback'],
  },
  {
    name: 'Ingress: one path on two hosts, or two paths on one host, do not conflict (silent)',
    yaml:
      WEB +
      ingress('a', { path: '/api' }) +
      ingress('b', { path: '/api', host: 'admin.example.com' }) +
      ingress('c', { path: '/app' }),
    code: 'ingress-path-conflict',
    expect: [],
  },
  {
    name: 'Ingress: a TLS Secret whose tls.crt is no certificate makes the controller serve its default one',
    yaml: WEB + tlsSecret('shop-tls', 'not a certificate', SHOP_KEY) + ingress('shop', { spec: TLS }),
    code: 'ingress-tls-certificate-unusable',
    expect: ['Ingress/app/shop spec.tls[0].secretName'],
    message: ['is not a certificate'],
  },
  {
    name: 'Ingress: a certificate must cover the host it serves (SNI, x509 hostname rules)',
    yaml:
      WEB +
      tlsSecret('shop-tls', SHOP_CRT, SHOP_KEY) +
      ingress('shop', {
        spec: TLS.replaceAll('shop.example.com', 'shop.example.org'),
        host: 'shop.example.org',
      }),
    code: 'ingress-tls-certificate-unusable',
    expect: ['Ingress/app/shop spec.tls[0].secretName'],
    message: ['does not cover shop.example.org'],
  },
  {
    name: 'Ingress: a certificate and key that match and cover the host are silent',
    yaml: WEB + tlsSecret('shop-tls', SHOP_CRT, SHOP_KEY) + ingress('shop', { spec: TLS }),
    code: 'ingress-tls-certificate-unusable',
    expect: [],
  },
  {
    name: 'Ingress: a resource backend in a path gets no location in ingress-nginx',
    yaml: (WEB + ingress('assets', { path: '/static' })).replace(
      'backend: {service: {name: web, port: {number: 80}}}',
      'backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}}',
    ),
    code: 'ingress-resource-backend-unsupported',
    expect: ['Ingress/app/assets spec.rules[0].http.paths[0].backend.resource'],
    message: ['StorageBucket.k8s.example.com static-assets', 'host shop.example.com, path /static'],
  },
  {
    name: 'Ingress: a resource spec.defaultBackend ends in the controller 404',
    yaml: `${WEB}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback, namespace: app}
spec:
  defaultBackend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}}
`,
    code: 'ingress-resource-backend-unsupported',
    expect: ['Ingress/app/fallback spec.defaultBackend.resource'],
    message: ["the controller's 404"],
  },
  {
    name: "Ingress: a resource backend in an Ingress of another class is not the served controller's (silent)",
    yaml: (WEB + ingress('assets', { spec: '  ingressClassName: traefik\n' })).replace(
      'backend: {service: {name: web, port: {number: 80}}}',
      'backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}}',
    ),
    code: 'ingress-resource-backend-unsupported',
    expect: [],
  },
  {
    name: 'Ingress: Service backends are served (silent)',
    yaml: WEB + ingress('shop'),
    code: 'ingress-resource-backend-unsupported',
    expect: [],
  },
  {
    name: "Ingress: two Ingresses name different Secrets for one host: the oldest's certificate is used",
    yaml:
      WEB +
      tlsSecret('shop-tls', SHOP_CRT, SHOP_KEY) +
      tlsSecret('other-tls', SHOP_CRT, SHOP_KEY) +
      ingress('new', {
        created: '2024-02-01T00:00:00Z',
        path: '/api',
        spec: TLS.replace('shop-tls', 'other-tls'),
      }) +
      ingress('old', { created: '2024-01-01T00:00:00Z', spec: TLS }),
    code: 'ingress-tls-secret-conflict',
    expect: ['Ingress/app/new spec.tls[0].secretName'],
    message: ['older Ingress app/old', 'Secret app/shop-tls', 'ignores Secret app/other-tls'],
  },
  {
    name: 'Ingress: two Ingresses naming one Secret for a host agree (silent)',
    yaml:
      WEB +
      tlsSecret('shop-tls', SHOP_CRT, SHOP_KEY) +
      ingress('new', { created: '2024-02-01T00:00:00Z', path: '/api', spec: TLS }) +
      ingress('old', { created: '2024-01-01T00:00:00Z', spec: TLS }),
    code: 'ingress-tls-secret-conflict',
    expect: [],
  },
  {
    name: 'Ingress: several Ingresses with only a spec.defaultBackend: the oldest takes the catch-all',
    yaml: `${WEB}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback-a, namespace: app, creationTimestamp: "2024-02-01T00:00:00Z"}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback-b, namespace: app, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
    code: 'ingress-default-backend-conflict',
    expect: ['Ingress/app/fallback-a spec.defaultBackend'],
    message: ['the older Ingress app/fallback-b'],
  },
  {
    name: 'Ingress: equal timestamps: ns/name descending decides (ingress-nginx sortIngressSlice)',
    yaml: `${WEB}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback-a, namespace: app, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback-b, namespace: app, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`,
    code: 'ingress-default-backend-conflict',
    expect: ['Ingress/app/fallback-a spec.defaultBackend'],
    message: ['the older Ingress app/fallback-b'],
  },
  {
    name: 'Ingress: one catch-all defaultBackend, and a defaultBackend beside rules, do not compete (silent)',
    yaml: `${WEB}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback, namespace: app, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
${ingress('shop', { created: '2024-02-01T00:00:00Z', path: '/api', spec: '  defaultBackend: {service: {name: web, port: {number: 80}}}\n' })}`,
    code: 'ingress-default-backend-conflict',
    expect: [],
  },
];

for (const c of CASES) test(c.name, () => checkCase(c));

test('Ingress: a missing TLS Secret is reported once, by the Secret rule, not again as an unusable certificate', () => {
  const findings = lintYAML(WEB + ingress('shop', { spec: TLS }));
  assert.deepEqual(located(findings, 'ingress-tls-secret-missing'), [
    'Ingress/app/shop spec.tls[0].secretName',
  ]);
  assert.deepEqual(located(findings, 'ingress-tls-certificate-unusable'), []);
});

test('Ingress: --ingress-class plays another class, and the default class is then ignored', () => {
  const findings = lintYAML(
    WEB + ingress('default') + ingress('edge', { spec: '  ingressClassName: traefik\n' }),
    {
      ingressClass: 'traefik',
    },
  );
  assert.deepEqual(located(findings, 'ingress-ignored'), ['Ingress/app/default spec.ingressClassName']);
});
