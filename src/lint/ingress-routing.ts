// Ingress findings read from the routing table (src/ingress/), so they say what the served
// controller does: Ingresses it ignores, paths another Ingress already claims, and hosts it
// serves with its default certificate.

import type { Ingress } from '../api/types.js';
import { LEGACY_CLASS_ANNOTATION } from '../ingress/index.js';
import { fieldPath, type LintContext } from './context.js';
import type { Rule } from './types.js';

function ingressOf(ctx: LintContext, key: string): Ingress | undefined {
  const [namespace, name] = key.split('/');
  return ctx.store.get('Ingress', namespace, name);
}

const ignored: Rule = {
  code: 'ingress-ignored',
  severity: 'info',
  title: 'an Ingress the served ingress controller ignores (another class, or none)',
  check(ctx, report) {
    for (const i of ctx.ingressTable().ignored) {
      const ing = ingressOf(ctx, i.ingress);
      if (!ing) continue;
      const legacy =
        ing.spec.ingressClassName === undefined &&
        ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION] !== undefined;
      const field = legacy ? `metadata.annotations[${LEGACY_CLASS_ANNOTATION}]` : 'spec.ingressClassName';
      report(
        ing,
        field,
        `not served: ${i.reason}; another controller may serve it, but nothing podnet computes routes through it (--ingress-class NAME plays another class's controller)`,
      );
    }
  },
};

/** Where a conflicting location is written: a rule's path, or the Ingress's spec.defaultBackend. */
function locationField(at: { rule?: number; pathIndex?: number }): string {
  return at.rule === undefined || at.pathIndex === undefined
    ? 'spec.defaultBackend'
    : fieldPath('spec', 'rules', at.rule, 'http', 'paths', at.pathIndex, 'path');
}

const pathConflict: Rule = {
  code: 'ingress-path-conflict',
  severity: 'warning',
  title: 'a host and path another served Ingress (or rule) already routes',
  check(ctx, report) {
    for (const c of ctx.ingressTable().conflicts) {
      const ing = ingressOf(ctx, c.dropped.ingress);
      if (!ing || c.kept.ingress === '') continue;
      const where = locationField(c.kept);
      const keeper = c.kept.ingress === c.dropped.ingress ? where : `${where} of Ingress ${c.kept.ingress}`;
      const host = c.host === '' ? 'any host' : `host ${c.host}`;
      report(
        ing,
        locationField(c.dropped),
        `${host}, ${c.pathType} path ${c.path} is already routed by ${keeper}, which ingress-nginx keeps (the oldest Ingress wins; within one, the first path): this path never receives traffic; remove one, or give them different paths`,
      );
    }
  },
};

const TLS_KEYS = ['tls.crt', 'tls.key'];

const certificateUnusable: Rule = {
  code: 'ingress-tls-certificate-unusable',
  severity: 'warning',
  title: 'a served HTTPS host whose certificate the controller cannot use',
  check(ctx, report) {
    for (const server of ctx.ingressTable().servers) {
      const problem = server.tls?.problem;
      if (!server.tls || problem === undefined) continue;
      const ing = ingressOf(ctx, server.tls.ingress);
      if (!ing) continue;
      const tls = ing.spec.tls ?? [];
      const host = server.host.toLowerCase();
      const i = tls.findIndex((t) => (t.hosts ?? []).some((h) => h.toLowerCase() === host));
      const secretName = i >= 0 ? tls[i].secretName : undefined;
      // A Secret that is missing or has no key pair is the Secret rules' finding.
      if (secretName) {
        const secret = ctx.store.get('Secret', ing.metadata.namespace, secretName);
        if (!secret || !TLS_KEYS.every((k) => Object.hasOwn(secret.data ?? {}, k))) continue;
      }
      report(
        ing,
        i >= 0 ? fieldPath('spec', 'tls', i, secretName ? 'secretName' : 'hosts') : 'spec.tls',
        `host ${server.host}: ${problem}; the controller presents its self-signed default certificate for it, which clients reject`,
      );
    }
  },
};

export const INGRESS_ROUTING_RULES: readonly Rule[] = [ignored, pathConflict, certificateUnusable];
