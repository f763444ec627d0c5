// The verdict on one connection, with its reasons: the single place NetworkPolicy semantics live.
// Every other module (matrix, trace, expectations, the data plane) takes its answers from here.
//
// Per direction (egress at the source, ingress at the destination):
//   1. not enforced: the end is not a pod on the pod network (a node, a hostNetwork pod, an
//      outside address); self: the connection never leaves the pod (a pod to itself);
//   2. ingress from the destination pod's own node: always allowed;
//   3. the Admin tier decides, unless it only passes;
//   4. NetworkPolicies isolating the pod: allowed when any of their rules allows;
//   5. the Baseline tier decides;
//   6. allowed.

import type { Pod } from '../api/types.js';
import { cidrContains } from '../ip/index.js';
import type { CompiledPeer, CompiledPolicy, CompiledPort } from './compile.js';
import type { ClusterFacts } from './facts.js';
import type { PolicyModel } from './model.js';
import type {
  Connection,
  DirectionVerdict,
  Endpoint,
  PolicyDirection,
  PolicyRef,
  RuleMatch,
  TierDecision,
  Verdict,
  VerdictReason,
} from './types.js';

const NO_REFS: readonly PolicyRef[] = [];
const NO_MATCHES: readonly RuleMatch[] = [];

/** Both directions; the connection (and so its replies) is allowed when both allow it. */
export function evaluate(model: PolicyModel, conn: Connection): Verdict {
  const egress = evaluateDirection(model, conn, 'Egress');
  const ingress = evaluateDirection(model, conn, 'Ingress');
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

function verdict(
  direction: PolicyDirection,
  allowed: boolean,
  reason: VerdictReason,
  isolatedBy: readonly PolicyRef[],
  decidedBy: readonly RuleMatch[] = NO_MATCHES,
  passedBy: readonly RuleMatch[] = NO_MATCHES,
): DirectionVerdict {
  return { direction, allowed, reason, isolatedBy, decidedBy, passedBy };
}

function samePod(a: Pod, b: Pod): boolean {
  return a === b || (a.metadata.name === b.metadata.name && a.metadata.namespace === b.metadata.namespace);
}

/** A tier's decision as a verdict, or undefined when the tier did not decide. */
function tierVerdict(
  direction: PolicyDirection,
  tier: TierDecision,
  passedBy: readonly RuleMatch[],
  isolatedBy: readonly PolicyRef[],
  accept: VerdictReason,
  deny: VerdictReason,
): DirectionVerdict | undefined {
  const d = tier.decision;
  if (!d) return undefined;
  const allowed = d.action !== 'Deny';
  return verdict(direction, allowed, allowed ? accept : deny, isolatedBy, [d], passedBy);
}

export function evaluateDirection(
  model: PolicyModel,
  conn: Connection,
  direction: PolicyDirection,
): DirectionVerdict {
  const subject = direction === 'Egress' ? conn.from : conn.to;
  if (subject.kind !== 'pod') return verdict(direction, true, 'not-enforced', NO_REFS);
  const pod = subject.pod;
  const isolatedBy = model.isolatedBy(pod, direction);
  // A pod reaching its own address goes over its loopback and never crosses the interface where
  // policy is enforced ("a pod cannot block access to itself").
  if (conn.from.kind === 'pod' && conn.to.kind === 'pod' && samePod(conn.from.pod, conn.to.pod))
    return verdict(direction, true, 'self', isolatedBy);
  if (direction === 'Ingress' && conn.from.kind === 'node' && conn.from.node === pod.spec.nodeName)
    return verdict(direction, true, 'own-node', isolatedBy);

  const admin = model.admin.decide('Admin', direction, conn);
  const decided = tierVerdict(direction, admin, admin.passed, isolatedBy, 'admin-accept', 'admin-deny');
  if (decided) return decided;

  if (isolatedBy.length > 0) {
    const selection = model.networkPolicies.selecting(pod);
    const policies = direction === 'Ingress' ? selection.ingress : selection.egress;
    const allows = allowingRules(model.facts, policies, direction, conn);
    return verdict(
      direction,
      allows.length > 0,
      allows.length > 0 ? 'policy-allow' : 'policy-deny',
      isolatedBy,
      allows,
      admin.passed,
    );
  }

  const baseline = model.admin.decide('Baseline', direction, conn);
  return (
    tierVerdict(direction, baseline, admin.passed, isolatedBy, 'baseline-accept', 'baseline-deny') ??
    verdict(direction, true, 'not-isolated', isolatedBy, NO_MATCHES, admin.passed)
  );
}

/**
 * Every rule of the isolating policies that allows the connection, in policy then rule order,
 * each with the first peer and the first port entry that matched (absent when the rule has no
 * peers or no ports: it matches all).
 */
function allowingRules(
  facts: ClusterFacts,
  policies: readonly CompiledPolicy[],
  direction: PolicyDirection,
  conn: Connection,
): RuleMatch[] {
  const peer = direction === 'Ingress' ? conn.from : conn.to;
  // Named ports mean a port of the destination pod's containers; other ends have none.
  const destination = conn.to.kind === 'pod' ? conn.to.pod : undefined;
  const out: RuleMatch[] = [];
  for (const policy of policies) {
    const rules = (direction === 'Ingress' ? policy.ingress : policy.egress) ?? [];
    for (const rule of rules) {
      const peerIndex = rule.peers ? firstPeer(facts, rule.peers, peer) : undefined;
      if (peerIndex === -1) continue;
      const portIndex = rule.ports ? firstPort(facts, rule.ports, conn, destination) : undefined;
      if (portIndex === -1) continue;
      const match: { -readonly [K in keyof RuleMatch]: RuleMatch[K] } = {
        policy: policy.ref,
        direction,
        rule: rule.index,
        action: 'Allow',
      };
      if (peerIndex !== undefined) match.peer = peerIndex;
      if (portIndex !== undefined) match.port = portIndex;
      out.push(match);
    }
  }
  return out;
}

/** The index of the first peer that matches the endpoint, or -1. */
function firstPeer(facts: ClusterFacts, peers: readonly CompiledPeer[], end: Endpoint): number {
  for (const peer of peers) if (peerMatches(facts, peer, end)) return peer.index;
  return -1;
}

/**
 * Pod peers match pods on the pod network only (hostNetwork pods and nodes are never selected);
 * ipBlock peers match any address of their family, pod addresses included, as the upstream e2e
 * suite expects.
 */
export function peerMatches(facts: ClusterFacts, peer: CompiledPeer, end: Endpoint): boolean {
  if ('pods' in peer) return end.kind === 'pod' && facts.coversPod(peer.pods, end.pod);
  if (!cidrContains(peer.cidr, end.ip)) return false;
  for (const e of peer.except) if (cidrContains(e, end.ip)) return false;
  return true;
}

/** The index of the first port entry that matches the connection, or -1. */
function firstPort(
  facts: ClusterFacts,
  ports: readonly CompiledPort[],
  conn: Connection,
  destination: Pod | undefined,
): number {
  for (const port of ports) if (portMatches(facts, port, conn, destination)) return port.index;
  return -1;
}

export function portMatches(
  facts: ClusterFacts,
  port: CompiledPort,
  conn: Connection,
  destination: Pod | undefined,
): boolean {
  if (port.protocol !== conn.protocol) return false;
  if (port.name !== undefined)
    return destination !== undefined && facts.namedPort(destination, port.name, port.protocol) === conn.port;
  if (port.port === undefined) return true;
  return conn.port >= port.port && conn.port <= (port.endPort ?? port.port);
}
