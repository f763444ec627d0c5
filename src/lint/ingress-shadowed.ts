// Ingress settings the served controller reads but does not use, read from the routing table
// (src/ingress/): resource backends, which ingress-nginx has no location for; a host's TLS Secret
// when an older Ingress already decided the host's certificate; and a catch-all
// spec.defaultBackend when an older Ingress already holds the catch-all server.

import type { Ingress } from '../api/types.js';
import { objectKey } from '../api/types.js';
import { fieldPath, type LintContext } from './context.js';
import type { Rule } from './types.js';

/** The served Ingresses, oldest first (the table's order). */
function served(ctx: LintContext): Ingress[] {
  const out: Ingress[] = [];
  for (const key of ctx.ingressTable().served) {
    const [namespace, name] = key.split('/');
    const ing = ctx.store.get('Ingress', namespace, name);
    if (ing) out.push(ing);
  }
  return out;
}

function resourceName(r: { apiGroup?: string; kind: string; name: string }): string {
  return `${r.kind}${r.apiGroup ? `.${r.apiGroup}` : ''} ${r.name}`;
}

const resourceBackend: Rule = {
  code: 'ingress-resource-backend-unsupported',
  severity: 'warning',
  title: 'a resource backend (backend.resource), which ingress-nginx does not serve',
  check(ctx, report) {
    for (const ing of served(ctx)) {
      const def = ing.spec.defaultBackend?.resource;
      if (def)
        report(
          ing,
          'spec.defaultBackend.resource',
          `ingress-nginx serves only Service backends and ignores the resource backend ${resourceName(def)}: requests this defaultBackend should take get the controller's 404; use a Service backend (backend.service)`,
        );
      (ing.spec.rules ?? []).forEach((rule, ri) => {
        (rule.http?.paths ?? []).forEach((p, pi) => {
          const r = p.backend?.resource;
          if (!r) return;
          const host = rule.host ? `host ${rule.host}` : 'any host';
          report(
            ing,
            fieldPath('spec', 'rules', ri, 'http', 'paths', pi, 'backend', 'resource'),
            `ingress-nginx serves only Service backends and creates no location for the resource backend ${resourceName(r)}: requests for ${host}, path ${p.path || '/'} go to a shorter matching path or the 404 instead; use a Service backend (backend.service)`,
          );
        });
      });
    }
  },
};

const tlsSecretConflict: Rule = {
  code: 'ingress-tls-secret-conflict',
  severity: 'warning',
  title: "a host's TLS Secret ignored because an older Ingress names another Secret for the host",
  check(ctx, report) {
    const ingresses = served(ctx);
    for (const server of ctx.ingressTable().servers) {
      if (server.host === '' || !server.tls) continue;
      const host = server.host.toLowerCase();
      const decider = ingresses.find((i) => objectKey(i) === server.tls?.ingress);
      if (!decider) continue;
      // The Secret the table chose; when it could not use it, the one the decider's entry names.
      let chosen = server.tls.secret;
      if (chosen === undefined) {
        const entry = (decider.spec.tls ?? []).find((t) =>
          (t.hosts ?? []).some((h) => h.toLowerCase() === host),
        );
        if (entry?.secretName) chosen = `${decider.metadata.namespace ?? 'default'}/${entry.secretName}`;
      }
      for (const ing of ingresses) {
        if (ing === decider) continue;
        if (!(ing.spec.rules ?? []).some((r) => (r.host ?? '').toLowerCase() === host)) continue;
        (ing.spec.tls ?? []).forEach((t, k) => {
          if (!t.secretName || !(t.hosts ?? []).some((h) => h.toLowerCase() === host)) return;
          const secret = `${ing.metadata.namespace ?? 'default'}/${t.secretName}`;
          if (secret === chosen) return;
          const used = chosen
            ? `the certificate of Secret ${chosen}`
            : 'its default certificate (see the finding on that Ingress)';
          report(
            ing,
            fieldPath('spec', 'tls', k, 'secretName'),
            `host ${server.host}: the older Ingress ${server.tls?.ingress} has a TLS section for it, and ingress-nginx takes a host's certificate from the oldest such Ingress, so it presents ${used} and ignores Secret ${secret}; name one Secret for the host in every Ingress, or drop this entry`,
          );
        });
      }
    }
  },
};

const defaultBackendConflict: Rule = {
  code: 'ingress-default-backend-conflict',
  severity: 'warning',
  title: "a catch-all spec.defaultBackend an older Ingress's defaultBackend overrides",
  check(ctx, report) {
    const catchAll = ctx.ingressTable().servers.find((s) => s.host === '');
    const root = catchAll?.locations.find((l) => l.default && l.ingress !== undefined);
    const winner = root?.backend && 'service' in root.backend ? root.ingress : undefined;
    if (winner === undefined) return;
    for (const ing of served(ctx)) {
      // Only an Ingress without rules configures the catch-all server (docs/ingress.md).
      if (!ing.spec.defaultBackend?.service || (ing.spec.rules ?? []).length > 0) continue;
      if (objectKey(ing) === winner) continue;
      report(
        ing,
        'spec.defaultBackend',
        `the older Ingress ${winner} also has a spec.defaultBackend and no rules; ingress-nginx uses only the oldest one for requests no rule takes, so this one never receives traffic; keep one catch-all defaultBackend`,
      );
    }
  },
};

export const INGRESS_SHADOWED_RULES: readonly Rule[] = [
  resourceBackend,
  tlsSecretConflict,
  defaultBackendConflict,
];
