// Objects for the Ingress routing tests: Ingresses, IngressClasses, TLS Secrets and nodes,
// put straight into a Store (as admission would leave them), and a short way to route.

import type {
  HTTPIngressPath,
  Ingress,
  IngressClass,
  IngressRule,
  KubeObject,
  Node,
  Secret,
} from '../../src/api/types.js';
import type { IngressRoute, IngressTable, IngressTableOptions } from '../../src/ingress/index.js';
import { computeIngressTable } from '../../src/ingress/index.js';
import { Store } from '../../src/store/store.js';

// TEST-ONLY self-signed EC certificates and keys, generated with openssl for these tests.
// SHOP: CN shop.example.com, subjectAltName DNS:shop.example.com, DNS:*.example.com.
export const SHOP_CRT = `-----BEGIN CERTIFICATE-----
MIIBujCCAV+gAwIBAgIURdf3rWsFevI1ueWrrqWoQkzWWr8wCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAgFw0yNjExMjQxOTEzNTdaGA8y
MTI2MTAzMTE5MTM1N1owGzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABMiqIVYNVkCHYqZkc/1bboaRmUU5wXHmTjf2
cfX2ev6jFg53NpcMiPElJs81T98PGhe5LafpKNX5fvdOoL6ZQI6jfzB9MB0GA1Ud
DgQWBBQyP0987/D3gJI3+x0QwaSQIJNvejAfBgNVHSMEGDAWgBQyP0987/D3gJI3
+x0QwaSQIJNvejAPBgNVHRMBAf8EBTADAQH/MCoGA1UdEQQjMCGCEHNob3AuZXhh
bXBsZS5jb22CDSouZXhhbXBsZS5jb20wCgYIKoZIzj0EAwIDSQAwRgIhAO/h6eyp
fXtn5r7P+7AYj2CL5xiRIuYby+QAWQO+KUyFAiEAkeq6mDhCPfxkdo9Ec78cdhDU
LpAcFO+h/HB61kcpXBs=
-----END CERTIFICATE-----
`;
export const SHOP_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWn467RuR3jDo4sGS
rLNa3yH5JnQAip3HsTo7a+i3TqKhRANCAATIqiFWDVZAh2KmZHP9W26GkZlFOcFx
5k439nH19nr+oxYOdzaXDIjxJSbPNU/fDxoXuS2n6SjV+X73TqC+mUCO
-----END PRIVATE KEY-----
`;
// LEGACY: CN legacy.example.org and no subjectAltName.
export const LEGACY_CRT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATegAwIBAgIUSHhxMQn+wlQ8xGUaJJR2SblLuLMwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSbGVnYWN5LmV4YW1wbGUub3JnMCAXDTI2MTEyNDE5MTM1N1oY
DzIxMjYxMDMxMTkxMzU3WjAdMRswGQYDVQQDDBJsZWdhY3kuZXhhbXBsZS5vcmcw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR7Xr/lfZWry+2wSAV8HiCCbz4lzr39
ceeUKMhxMX4Vd3bRqIWF8bf1dV6FkXOZhRJNznHpsrGKXGa+O1hkkP9ro1MwUTAd
BgNVHQ4EFgQUGMRX8dcK53FSwW1b8meY+zQ6YPcwHwYDVR0jBBgwFoAUGMRX8dcK
53FSwW1b8meY+zQ6YPcwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE
AiAkpTfQ/JXA5J3Q5UlSoms2p14KNiA3aDDwt6GnN3D9qQIgbGb04weZhEb362/T
z+cnwwg/rE/v2qkpBGchBdZJXDs=
-----END CERTIFICATE-----
`;
export const LEGACY_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIMsWnYvLZg+oV6E8
PZ2Ny1VCl2EZU92tXoq0kw8vypGhRANCAAR7Xr/lfZWry+2wSAV8HiCCbz4lzr39
ceeUKMhxMX4Vd3bRqIWF8bf1dV6FkXOZhRJNznHpsrGKXGa+O1hkkP9r
-----END PRIVATE KEY-----
`;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function tlsSecret(ref: string, crt: string, key: string, type = 'kubernetes.io/tls'): Secret {
  const [namespace, name] = ref.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type,
    data: { 'tls.crt': b64(crt), 'tls.key': b64(key) },
  };
}

export function ingressClass(
  name: string,
  controller = 'k8s.io/ingress-nginx',
  opts: { isDefault?: boolean; created?: string } = {},
): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      ...(opts.isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
      ...(opts.created ? { creationTimestamp: opts.created } : {}),
    },
    spec: { controller },
  };
}

/** A path to Service `svc` port 80 (or the port given). */
export function path(
  p: string,
  pathType: HTTPIngressPath['pathType'],
  svc: string,
  port: number | string = 80,
): HTTPIngressPath {
  const portRef = typeof port === 'number' ? { number: port } : { name: port };
  return { path: p, pathType, backend: { service: { name: svc, port: portRef } } };
}

export function rule(host: string | undefined, ...paths: HTTPIngressPath[]): IngressRule {
  return { ...(host !== undefined ? { host } : {}), http: { paths } };
}

export interface IngressOptions {
  className?: string;
  annotations?: Record<string, string>;
  created?: string;
  defaultBackend?: Ingress['spec']['defaultBackend'];
  tls?: Ingress['spec']['tls'];
}

export function ingress(ref: string, rules: IngressRule[], opts: IngressOptions = {}): Ingress {
  const [namespace, name] = ref.split('/');
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace,
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
      ...(opts.created ? { creationTimestamp: opts.created } : {}),
    },
    spec: {
      ...(opts.className !== undefined ? { ingressClassName: opts.className } : {}),
      ...(opts.defaultBackend ? { defaultBackend: opts.defaultBackend } : {}),
      ...(opts.tls ? { tls: opts.tls } : {}),
      ...(rules.length ? { rules } : {}),
    },
  };
}

export function node(name: string, ip: string, labels: Record<string, string> = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: { addresses: [{ type: 'InternalIP', address: ip }] },
  };
}

export function table(objects: KubeObject[], options?: IngressTableOptions): IngressTable {
  const store = new Store();
  for (const o of objects) store.put(structuredClone(o));
  return computeIngressTable(store, options);
}

/** The backend a route reaches, as `svc:port`, or the status the controller answers. */
export function outcome(r: IngressRoute): string {
  if (r.status) return String(r.status);
  if (r.backend && 'service' in r.backend) return `${r.backend.service.name}:${r.backend.service.port}`;
  return 'none';
}

/** Routes plain-HTTP requests for `host` on one table. */
export function router(t: IngressTable, host = 'example.com') {
  return (p: string, h = host) => t.route({ host: h, path: p, scheme: 'http' });
}
