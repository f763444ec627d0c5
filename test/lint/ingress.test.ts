import { test } from 'node:test';
import { type Case, checkCase, deployment, NAMESPACE, service } from './fixtures.js';

const WEB =
  NAMESPACE +
  deployment('web') +
  service('web', 'web', '[{name: http, port: 80, targetPort: http}]') +
  `
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: k8s.io/ingress-nginx}
`;

/** An Ingress `name` in namespace app routing / on shop.example.com to `backend` (flow YAML). */
function ingress(name: string, backend: string, extra = ''): string {
  return `
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: app}
spec:
${extra}  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: ${backend}}}
`;
}

function secret(name: string, type: string, keys: string[]): string {
  const data = keys.map((k) => `${k}: ZXhhbXBsZQ==`).join(', ');
  return `
---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: app}
type: ${type}
data: {${data}}
`;
}

const TLS = (secretName: string) => `  tls: [{hosts: [shop.example.com], secretName: ${secretName}}]\n`;
const PAIR = ['tls.crt', 'tls.key'];

const CASES: Case[] = [
  {
    name: 'Ingress: a backend Service must exist in the Ingress namespace (Ingress backends)',
    yaml: WEB + ingress('shop', '{name: shop-web, port: {number: 80}}'),
    code: 'ingress-service-missing',
    expect: ['Ingress/app/shop spec.rules[0].http.paths[0].backend.service.name'],
    message: ['503'],
  },
  {
    name: 'Ingress: defaultBackend is a backend too',
    yaml: `${WEB}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback, namespace: app}
spec:
  defaultBackend: {service: {name: gone, port: {number: 80}}}
`,
    code: 'ingress-service-missing',
    expect: ['Ingress/app/fallback spec.defaultBackend.service.name'],
  },
  {
    name: 'Ingress: an existing backend Service is silent',
    yaml: WEB + ingress('shop', '{name: web, port: {number: 80}}'),
    code: 'ingress-service-missing',
    expect: [],
  },
  {
    name: "Ingress: a backend port number must be one of the Service's ports, not a targetPort (IngressServiceBackend)",
    yaml: WEB + ingress('shop', '{name: web, port: {number: 8080}}'),
    code: 'ingress-service-port-missing',
    expect: ['Ingress/app/shop spec.rules[0].http.paths[0].backend.service.port.number'],
    message: ['has no port 8080 (it has http (80))'],
  },
  {
    name: "Ingress: a backend port name must be one of the Service's port names (IngressServiceBackend)",
    yaml: WEB + ingress('shop', '{name: web, port: {name: https}}'),
    code: 'ingress-service-port-missing',
    expect: ['Ingress/app/shop spec.rules[0].http.paths[0].backend.service.port.name'],
  },
  {
    name: 'Ingress: backend ports by number and by name that the Service has are silent',
    yaml:
      WEB +
      ingress('by-number', '{name: web, port: {number: 80}}') +
      ingress('by-name', '{name: web, port: {name: http}}'),
    code: 'ingress-service-port-missing',
    expect: [],
  },
  {
    name: 'Ingress: a TLS secretName must name a Secret in the Ingress namespace, else the default certificate is served',
    yaml: WEB + ingress('shop', '{name: web, port: {number: 80}}', TLS('shop-tls')),
    code: 'ingress-tls-secret-missing',
    expect: ['Ingress/app/shop spec.tls[0].secretName'],
  },
  {
    name: 'Ingress: the TLS Secret must hold tls.crt and tls.key (Ingress TLS)',
    yaml:
      WEB +
      secret('shop-tls', 'Opaque', ['cert.pem']) +
      ingress('shop', '{name: web, port: {number: 80}}', TLS('shop-tls')),
    code: 'ingress-tls-secret-no-keypair',
    expect: ['Ingress/app/shop spec.tls[0].secretName'],
    message: ['has no tls.crt and tls.key'],
  },
  {
    name: 'Ingress: a key pair in a Secret of another type works in ingress-nginx but is not a kubernetes.io/tls Secret',
    yaml:
      WEB +
      secret('shop-tls', 'Opaque', PAIR) +
      ingress('shop', '{name: web, port: {number: 80}}', TLS('shop-tls')),
    code: 'ingress-tls-secret-wrong-type',
    expect: ['Ingress/app/shop spec.tls[0].secretName'],
  },
  ...['ingress-tls-secret-missing', 'ingress-tls-secret-no-keypair', 'ingress-tls-secret-wrong-type'].map(
    (code): Case => ({
      name: `Ingress: a kubernetes.io/tls Secret with tls.crt and tls.key is silent (${code})`,
      yaml:
        WEB +
        secret('shop-tls', 'kubernetes.io/tls', PAIR) +
        ingress('shop', '{name: web, port: {number: 80}}', TLS('shop-tls')),
      code,
      expect: [],
    }),
  ),
];

for (const c of CASES) test(c.name, () => checkCase(c));
