// Which certificate a host presents (docs/ingress.md "TLS"), as ingress-nginx picks it: the
// oldest Ingress with a rule for the host and a TLS section decides; its spec.tls entry listing
// the host names the Secret, or else any entry whose certificate covers the host. The Secret must
// be in the Ingress's namespace and hold a certificate and key that parse, match, and cover the
// host; otherwise the controller presents its default (fake) certificate, and says why.

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { type Ingress, objectKey } from '../api/types.js';
import type { Store } from '../store/store.js';
import type { IngressServerTLS } from './types.js';

/** A Secret read as ingress-nginx's certificate store reads it. */
type Loaded = { readonly names: readonly string[] } | { readonly problem: string };

/** Loads each Secret once per table. */
export class CertificateCache {
  private readonly loaded = new Map<string, Loaded>();

  constructor(private readonly store: Store) {}

  load(namespace: string, name: string): Loaded {
    const key = `${namespace}/${name}`;
    let l = this.loaded.get(key);
    if (!l) {
      l = loadSecret(this.store, namespace, name);
      this.loaded.set(key, l);
    }
    return l;
  }
}

function loadSecret(store: Store, namespace: string, name: string): Loaded {
  const key = `${namespace}/${name}`;
  const secret = store.get('Secret', namespace, name);
  if (!secret) return { problem: `Secret ${key} does not exist` };
  const crt = secret.data?.['tls.crt'];
  const pem = secret.data?.['tls.key'];
  if (!crt || !pem) return { problem: `Secret ${key} has no tls.crt and tls.key` };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(crt, 'base64'));
  } catch {
    return { problem: `tls.crt of Secret ${key} is not a certificate` };
  }
  try {
    if (!cert.checkPrivateKey(createPrivateKey(Buffer.from(pem, 'base64'))))
      return { problem: `tls.key of Secret ${key} is not the key of its certificate` };
  } catch {
    return { problem: `tls.key of Secret ${key} is not a private key` };
  }
  return { names: certificateNames(cert) };
}

/**
 * The DNS names a certificate is valid for: its DNS subjectAltNames, or its Common Name when it
 * has none (the legacy fallback ingress-nginx keeps).
 */
function certificateNames(cert: X509Certificate): string[] {
  const sans = (cert.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).replace(/^"|"$/g, '').toLowerCase());
  if (sans.length > 0) return sans;
  const cn = cert.subject
    .split('\n')
    .find((l) => l.startsWith('CN='))
    ?.slice(3);
  return cn ? [cn.toLowerCase()] : [];
}

/**
 * Go's x509 VerifyHostname: a leading `*` label matches exactly one label; a host that is itself
 * a wildcard (`*.example.com`, a wildcard rule) is matched literally.
 */
export function nameCovers(pattern: string, host: string): boolean {
  const p = pattern.replace(/\.$/, '');
  const h = host.replace(/\.$/, '').toLowerCase();
  if (h.includes('*') || !p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

function covers(loaded: Loaded, host: string): boolean {
  return 'names' in loaded && loaded.names.some((n) => nameCovers(n, host));
}

/** extractTLSSecretName and the checks around it (ingress-nginx createServers). */
export function serverCertificate(host: string, ing: Ingress, certs: CertificateCache): IngressServerTLS {
  const ingress = objectKey(ing);
  const ns = ing.metadata.namespace ?? 'default';
  const tls = ing.spec.tls ?? [];
  const h = host.toLowerCase();
  const listed = tls.findIndex((t) => (t.hosts ?? []).some((x) => x.toLowerCase() === h));
  let secretName: string | undefined;
  if (listed >= 0) {
    secretName = tls[listed].secretName;
    if (!secretName)
      return {
        ingress,
        problem: `spec.tls[${listed}] of Ingress ${ingress} lists ${host} without a secretName`,
      };
  } else {
    secretName = tls.find((t) => t.secretName && covers(certs.load(ns, t.secretName), h))?.secretName;
    if (!secretName)
      return {
        ingress,
        problem: `Ingress ${ingress} has a TLS section, but no entry lists ${host} and no certificate in it covers ${host}`,
      };
  }
  const secret = `${ns}/${secretName}`;
  const loaded = certs.load(ns, secretName);
  if ('problem' in loaded) return { ingress, problem: loaded.problem };
  if (!covers(loaded, h)) {
    const names = loaded.names.length ? loaded.names.join(', ') : 'no DNS names';
    return {
      ingress,
      problem: `the certificate in Secret ${secret} does not cover ${host} (it names ${names})`,
    };
  }
  return { ingress, secret };
}
