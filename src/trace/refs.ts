// Engine values (endpoints, rule matches, verdicts) as the plain JSON a trace prints, with each
// matched rule located by its field path, so users can find it in their YAML.

import type { Pod } from '../api/types.js';
import { formatIP } from '../ip/index.js';
import {
  type AdminTier,
  type Connection,
  type DirectionVerdict,
  type Endpoint,
  policyRefString,
  type RuleMatch,
  type VerdictReason,
} from '../netpol/types.js';
import type { EndRef, PolicyHop, RuleRef } from './types.js';

/** `ns/name`, as every listing names a pod. */
export function podName(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

export function endRef(end: Endpoint): EndRef {
  const ip = formatIP(end.ip);
  switch (end.kind) {
    case 'pod': {
      const node = end.pod.spec.nodeName;
      return node
        ? { kind: 'pod', pod: podName(end.pod), ip, node }
        : { kind: 'pod', pod: podName(end.pod), ip };
    }
    case 'node':
      return end.pod
        ? { kind: 'node', node: end.node, ip, pod: podName(end.pod) }
        : { kind: 'node', node: end.node, ip };
    case 'external':
      return { kind: 'external', ip };
  }
}

/**
 * A rule's field paths. Every policy kind lists peers in `from` (ingress) or `to` (egress); the
 * port entries are `ports`, except in ClusterNetworkPolicy (v1alpha2), which calls them
 * `protocols`.
 */
function ruleRef(m: RuleMatch): RuleRef {
  const field = `spec.${m.direction === 'Ingress' ? 'ingress' : 'egress'}[${m.rule}]`;
  const peers = m.direction === 'Ingress' ? 'from' : 'to';
  const ports = m.policy.kind === 'ClusterNetworkPolicy' ? 'protocols' : 'ports';
  return {
    policy: policyRefString(m.policy),
    action: m.action,
    rule: m.rule,
    ...(m.ruleName !== undefined ? { ruleName: m.ruleName } : {}),
    ...(m.priority !== undefined ? { priority: m.priority } : {}),
    ...(m.peer !== undefined ? { peer: m.peer } : {}),
    ...(m.port !== undefined ? { port: m.port } : {}),
    field,
    ...(m.peer !== undefined ? { peerField: `${field}.${peers}[${m.peer}]` } : {}),
    ...(m.port !== undefined ? { portField: `${field}.${ports}[${m.port}]` } : {}),
  };
}

/** The layer whose rule decided, from the verdict's reason. */
function decidingTier(reason: VerdictReason): AdminTier | 'NetworkPolicy' | undefined {
  switch (reason) {
    case 'admin-accept':
    case 'admin-deny':
      return 'Admin';
    case 'policy-allow':
    case 'policy-deny':
      return 'NetworkPolicy';
    case 'baseline-accept':
    case 'baseline-deny':
      return 'Baseline';
    default:
      return undefined;
  }
}

/** A direction's verdict on a connection as a hop, at the end that enforces it. */
export function policyHop(v: DirectionVerdict, conn: Connection): PolicyHop {
  const tier = decidingTier(v.reason);
  return {
    kind: v.direction === 'Egress' ? 'egress-policy' : 'ingress-policy',
    direction: v.direction,
    endpoint: endRef(v.direction === 'Egress' ? conn.from : conn.to),
    port: conn.port,
    protocol: conn.protocol,
    allowed: v.allowed,
    reason: v.reason,
    ...(tier ? { tier } : {}),
    isolatedBy: v.isolatedBy.map(policyRefString),
    decidedBy: v.decidedBy.map(ruleRef),
    passedBy: v.passedBy.map(ruleRef),
  };
}
