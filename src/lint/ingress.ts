// Ingress findings read from the objects, for every Ingress whichever controller serves it:
// backends that name a missing Service or Service port, and TLS Secrets a controller cannot
// serve. What the served controller makes of them is in ingress-routing.ts.

import type { Ingress, IngressBackend, Service } from '../api/types.js';
import { fieldPath, type LintContext } from './context.js';
import type { Rule } from './types.js';

/** Every service backend of an Ingress with its field path: defaultBackend, then the rules' paths. */
function* backends(
  ingress: Ingress,
): Generator<{ backend: NonNullable<IngressBackend['service']>; path: readonly (string | number)[] }> {
  const d = ingress.spec.defaultBackend?.service;
  if (d) yield { backend: d, path: ['spec', 'defaultBackend', 'service'] };
  const rules = ingress.spec.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const paths = rules[i].http?.paths ?? [];
    for (let j = 0; j < paths.length; j++) {
      const b = paths[j].backend.service;
      if (b) yield { backend: b, path: ['spec', 'rules', i, 'http', 'paths', j, 'backend', 'service'] };
    }
  }
}

function serviceOf(ctx: LintContext, ingress: Ingress, name: string): Service | undefined {
  return ctx.store.get('Service', ingress.metadata.namespace, name);
}

const serviceMissing: Rule = {
  code: 'ingress-service-missing',
  severity: 'error',
  title: 'an Ingress backend naming a Service that does not exist in the Ingress namespace',
  check(ctx, report) {
    for (const ingress of ctx.store.list('Ingress')) {
      for (const { backend, path } of backends(ingress)) {
        if (serviceOf(ctx, ingress, backend.name)) continue;
        report(
          ingress,
          fieldPath(...path, 'name'),
          `no Service ${JSON.stringify(backend.name)} in namespace ${ingress.metadata.namespace}: the controller answers these requests with 503; an Ingress reaches Services of its own namespace only`,
        );
      }
    }
  },
};

const servicePortMissing: Rule = {
  code: 'ingress-service-port-missing',
  severity: 'error',
  title: 'an Ingress backend naming a port its Service does not have',
  check(ctx, report) {
    for (const ingress of ctx.store.list('Ingress')) {
      for (const { backend, path } of backends(ingress)) {
        const service = serviceOf(ctx, ingress, backend.name);
        // An ExternalName Service has no ports to check: the controller connects to the name.
        if (!service || service.spec.type === 'ExternalName') continue;
        const ports = service.spec.ports ?? [];
        const { number, name } = backend.port ?? {};
        const found =
          number !== undefined ? ports.some((p) => p.port === number) : ports.some((p) => p.name === name);
        if (found) continue;
        const wanted = number !== undefined ? `port ${number}` : `port named ${JSON.stringify(name)}`;
        const has = ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ');
        report(
          ingress,
          fieldPath(...path, 'port', number !== undefined ? 'number' : 'name'),
          `Service ${ingress.metadata.namespace}/${backend.name} has no ${wanted} (it has ${has || 'no ports'}): the controller answers these requests with 503; name the Service's port (its port, not the targetPort)`,
        );
      }
    }
  },
};

const TLS_TYPE = 'kubernetes.io/tls';

/** Each TLS entry naming a Secret, with the Secret if it exists. */
function* tlsSecrets(ctx: LintContext) {
  for (const ingress of ctx.store.list('Ingress')) {
    const tls = ingress.spec.tls ?? [];
    for (let i = 0; i < tls.length; i++) {
      const name = tls[i].secretName;
      if (!name) continue;
      const secret = ctx.store.get('Secret', ingress.metadata.namespace, name);
      yield { ingress, name, secret, field: fieldPath('spec', 'tls', i, 'secretName') };
    }
  }
}

const FAKE_CERTIFICATE =
  'the controller serves HTTPS for these hosts with its own self-signed default certificate, which clients reject';

const tlsSecretMissing: Rule = {
  code: 'ingress-tls-secret-missing',
  severity: 'warning',
  title: 'an Ingress TLS entry naming a Secret that does not exist in the Ingress namespace',
  check(ctx, report) {
    for (const t of tlsSecrets(ctx)) {
      if (t.secret) continue;
      report(
        t.ingress,
        t.field,
        `no Secret ${JSON.stringify(t.name)} in namespace ${t.ingress.metadata.namespace}: ${FAKE_CERTIFICATE}; create a ${TLS_TYPE} Secret with tls.crt and tls.key there`,
      );
    }
  },
};

/** The keys a certificate is read from (ingress-nginx reads them whatever the Secret's type). */
const KEYS = ['tls.crt', 'tls.key'];

const tlsSecretNoKeyPair: Rule = {
  code: 'ingress-tls-secret-no-keypair',
  severity: 'warning',
  title: 'an Ingress TLS entry naming a Secret without tls.crt and tls.key',
  check(ctx, report) {
    for (const t of tlsSecrets(ctx)) {
      const missing = KEYS.filter((k) => !Object.hasOwn(t.secret?.data ?? {}, k));
      if (!t.secret || missing.length === 0) continue;
      report(
        t.ingress,
        t.field,
        `Secret ${t.ingress.metadata.namespace}/${t.name} has no ${missing.join(' and ')}: ${FAKE_CERTIFICATE}; store the certificate and key in a ${TLS_TYPE} Secret (kubectl create secret tls)`,
      );
    }
  },
};

const tlsSecretWrongType: Rule = {
  code: 'ingress-tls-secret-wrong-type',
  severity: 'warning',
  title: `an Ingress TLS entry naming a Secret with a key pair that is not of type ${TLS_TYPE}`,
  check(ctx, report) {
    for (const t of tlsSecrets(ctx)) {
      const type = t.secret?.type ?? 'Opaque';
      if (!t.secret || type === TLS_TYPE || !KEYS.every((k) => Object.hasOwn(t.secret?.data ?? {}, k)))
        continue;
      report(
        t.ingress,
        t.field,
        `Secret ${t.ingress.metadata.namespace}/${t.name} is of type ${type}, not ${TLS_TYPE}: ingress-nginx reads tls.crt and tls.key whatever the type, but the API server checks the pair only in ${TLS_TYPE} Secrets and other controllers require that type; recreate it with kubectl create secret tls`,
      );
    }
  },
};

export const INGRESS_BACKEND_RULES: readonly Rule[] = [
  serviceMissing,
  servicePortMissing,
  tlsSecretMissing,
  tlsSecretNoKeyPair,
  tlsSecretWrongType,
];
