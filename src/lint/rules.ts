// The registry of lint rules and the run over a computed cluster. Codes are stable: a rule may
// change its message, never its code or severity (docs/lint.md lists every code).

import type { ClusterConfig } from '../api/cluster-config.js';
import { objectRef } from '../api/types.js';
import type { Store } from '../store/store.js';
import { LintContext, type LintOptions } from './context.js';
import { DNS_RULES } from './dns.js';
import { INGRESS_BACKEND_RULES } from './ingress.js';
import { INGRESS_ROUTING_RULES } from './ingress-routing.js';
import { INGRESS_SHADOWED_RULES } from './ingress-shadowed.js';
import { POD_RULES } from './pods.js';
import { POLICY_RULES } from './policies.js';
import { SERVICE_RULES } from './services.js';
import type { Rule, Severity, SubjectFinding } from './types.js';

export const RULES: readonly Rule[] = [
  ...SERVICE_RULES,
  ...INGRESS_BACKEND_RULES,
  ...INGRESS_ROUTING_RULES,
  ...INGRESS_SHADOWED_RULES,
  ...POD_RULES,
  ...POLICY_RULES,
  ...DNS_RULES,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Severity (errors first), then object, field, code and message: the same order on every run. */
export function compareFindings(a: SubjectFinding, b: SubjectFinding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    byText(a.object, b.object) ||
    byText(a.field, b.field) ||
    byText(a.code, b.code) ||
    byText(a.message, b.message)
  );
}

/** Every rule over a computed cluster (admitted, converged); findings sorted. */
export function lint(store: Store, config: ClusterConfig, options: LintOptions = {}): SubjectFinding[] {
  const ctx = new LintContext(store, config, options);
  const out: SubjectFinding[] = [];
  for (const rule of RULES) {
    rule.check(ctx, (subject, field, message) => {
      out.push({
        severity: rule.severity,
        code: rule.code,
        object: objectRef(subject),
        field,
        message,
        subject,
      });
    });
  }
  return out.sort(compareFindings);
}
