// A verdict in words, for the html heatmap's tooltips: the answer, then each direction with its
// reason and the rules that decided it, each rule named by the field path a reader finds in the
// YAML (`NetworkPolicy/backend/api-allow-web spec.ingress[0].from[0] ports[0]`).

import {
  type DirectionVerdict,
  policyRefString,
  type RuleMatch,
  type Verdict,
  type VerdictReason,
} from '../../netpol/types.js';

const REASONS: Readonly<Record<VerdictReason, string>> = {
  'not-enforced': 'not enforced: the end is not a pod on the pod network',
  self: 'allowed: a pod reaching itself (the packet never leaves the pod)',
  'own-node': "allowed: from the destination pod's own node (always allowed)",
  'not-isolated': 'allowed: no policy selects the pod',
  'admin-accept': 'allowed by an Admin tier rule',
  'admin-deny': 'denied by an Admin tier rule',
  'policy-allow': 'allowed by NetworkPolicy',
  'policy-deny': 'denied: isolated, and no NetworkPolicy rule allows it',
  'baseline-accept': 'allowed by a Baseline tier rule',
  'baseline-deny': 'denied by a Baseline tier rule',
};

/** `NetworkPolicy/ns/name spec.ingress[0].from[1] ports[0]`, with name, action and priority for the admin kinds. */
export function describeRule(m: RuleMatch): string {
  const rules = m.direction === 'Ingress' ? 'ingress' : 'egress';
  const peers = m.direction === 'Ingress' ? 'from' : 'to';
  let text = `${policyRefString(m.policy)} spec.${rules}[${m.rule}]`;
  if (m.peer !== undefined) text += `.${peers}[${m.peer}]`;
  if (m.port !== undefined) text += ` ports[${m.port}]`;
  if (m.ruleName !== undefined) text += ` (${JSON.stringify(m.ruleName)})`;
  if (m.policy.kind !== 'NetworkPolicy') text += ` action ${m.action}`;
  if (m.priority !== undefined) text += `, priority ${m.priority}`;
  return text;
}

function describeDirection(d: DirectionVerdict): string[] {
  const lines = [`${d.direction.toLowerCase()}: ${REASONS[d.reason]}`];
  for (const m of d.passedBy) lines.push(`  passed by ${describeRule(m)}`);
  for (const m of d.decidedBy) lines.push(`  ${describeRule(m)}`);
  if (d.reason === 'policy-deny' && d.isolatedBy.length > 0)
    lines.push(`  isolated by ${d.isolatedBy.map(policyRefString).join(', ')}`);
  return lines;
}

/** The verdict as lines: `allowed` or `denied`, then egress and ingress explained. */
export function describeVerdict(v: Verdict): string {
  return [
    v.allowed ? 'allowed' : 'denied',
    ...describeDirection(v.egress),
    ...describeDirection(v.ingress),
  ].join('\n');
}
