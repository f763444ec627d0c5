// The NetworkPolicy engine's shared vocabulary: connections as enforcement sees them, verdicts
// with the rules that decided them, and the predicates that tell pods apart (the basis of the
// equivalence classes that make the reachability matrix scale).
//
// Enforcement order, per direction (egress at the source, ingress at the destination), as the
// network-policy-api defines it: the Admin tier (ClusterNetworkPolicy tier Admin and
// AdminNetworkPolicy, by priority; the first matching rule decides, Pass skips to the next
// layer), then NetworkPolicy (only if some NetworkPolicy isolates the pod in that direction),
// then the Baseline tier (ClusterNetworkPolicy tier Baseline and BaselineAdminNetworkPolicy),
// then the default: allowed.

import type { Selector } from '../api/labels.js';
import type { Pod, Protocol } from '../api/types.js';
import type { CIDR, IP } from '../ip/ip.js';

export type PolicyDirection = 'Ingress' | 'Egress';

/**
 * One end of a connection, as policy enforcement sees it: after Service DNAT (policies see
 * the endpoint pod, never the cluster IP) and after any SNAT the data plane applies (the trace
 * layer decides the addresses; the engine takes them as given).
 */
export type Endpoint =
  /** A pod on the pod network; `ip` is the address this connection uses (one of its podIPs). */
  | { readonly kind: 'pod'; readonly pod: Pod; readonly ip: IP }
  /**
   * A node's own address: agents on the node, and `hostNetwork` pods (then `pod` names it).
   * NetworkPolicy never selects these; traffic from a node to its own pods is always allowed.
   */
  | { readonly kind: 'node'; readonly node: string; readonly ip: IP; readonly pod?: Pod }
  /** Any other address: outside the cluster, or an address no pod or node holds. */
  | { readonly kind: 'external'; readonly ip: IP };

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** The destination port after DNAT (the pod's port, not the Service port). */
  readonly port: number;
  readonly protocol: Protocol;
}

export type PolicyKind =
  | 'NetworkPolicy'
  | 'ClusterNetworkPolicy'
  | 'AdminNetworkPolicy'
  | 'BaselineAdminNetworkPolicy';

export interface PolicyRef {
  readonly kind: PolicyKind;
  /** Only for NetworkPolicy. */
  readonly namespace?: string;
  readonly name: string;
}

/** `NetworkPolicy/ns/name`, `ClusterNetworkPolicy/name`: how output names a policy. */
export function policyRefString(ref: PolicyRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** What a rule does when it matches. NetworkPolicy rules only allow. */
export type RuleAction = 'Allow' | 'Accept' | 'Deny' | 'Pass';

/** A rule that matched a connection, down to the peer and port entries that matched. */
export interface RuleMatch {
  readonly policy: PolicyRef;
  readonly direction: PolicyDirection;
  /** Index into spec.ingress or spec.egress. */
  readonly rule: number;
  /** The rule's `name`, for the cluster-scoped kinds that have one. */
  readonly ruleName?: string;
  readonly action: RuleAction;
  /** Index into the rule's from/to list; absent when the rule has no peers (all peers match). */
  readonly peer?: number;
  /** Index into the rule's ports list; absent when the rule has no ports (all ports match). */
  readonly port?: number;
  /** Admin tiers only: the policy's priority. */
  readonly priority?: number;
}

export type VerdictReason =
  /** Policies do not apply in this direction: the endpoint is not a pod on the pod network. */
  | 'not-enforced'
  /**
   * A pod reaching its own address: the packet never leaves the pod's network namespace, so no
   * policy of any tier sees it ("a pod cannot block access to itself").
   */
  | 'self'
  /** Ingress from the destination pod's own node: always allowed. */
  | 'own-node'
  /** No policy of any tier selects the pod in this direction. */
  | 'not-isolated'
  /** An Admin tier rule with action Accept (or v1alpha1 Allow) matched first. */
  | 'admin-accept'
  /** An Admin tier rule with action Deny matched first. */
  | 'admin-deny'
  /** NetworkPolicies isolate the pod and at least one of their rules allows the connection. */
  | 'policy-allow'
  /** NetworkPolicies isolate the pod and none of their rules allows the connection. */
  | 'policy-deny'
  /** No NetworkPolicy isolates the pod; a Baseline tier rule with action Accept/Allow matched. */
  | 'baseline-accept'
  /** No NetworkPolicy isolates the pod; a Baseline tier rule with action Deny matched. */
  | 'baseline-deny';

export interface DirectionVerdict {
  readonly direction: PolicyDirection;
  readonly allowed: boolean;
  readonly reason: VerdictReason;
  /** The NetworkPolicies that isolate the pod in this direction (sorted by namespace/name). */
  readonly isolatedBy: readonly PolicyRef[];
  /**
   * The rules that decided: the one Admin/Baseline rule, or every NetworkPolicy rule that
   * allows the connection (policies are additive, so all of them are reasons); empty otherwise.
   */
  readonly decidedBy: readonly RuleMatch[];
  /** Admin tier rules with action Pass that matched before the decision (in evaluation order). */
  readonly passedBy: readonly RuleMatch[];
}

export interface Verdict {
  /** Both directions allow the connection; its replies are then allowed too (stateful). */
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

/** A port and protocol of the matrix: `80/TCP`. */
export interface PortProtocol {
  readonly port: number;
  readonly protocol: Protocol;
}

export function portProtocolString(p: PortProtocol): string {
  return `${p.port}/${p.protocol}`;
}

/**
 * Which pods a policy subject or peer covers: pods in the namespaces chosen by `namespaces`
 * (one named namespace, or those whose labels match a selector) whose labels match `pods`
 * (absent: every pod there).
 */
export interface PodPredicate {
  readonly namespaces: { readonly name: string } | { readonly selector: Selector };
  readonly pods?: Selector;
}

/**
 * Everything the compiled policies can tell endpoints apart by. Two pods that answer every
 * pod predicate alike, whose addresses fall in the same CIDRs, whose named ports resolve alike
 * for every named port, and that are both on the pod network (or both `hostNetwork` on nodes
 * answering every node selector alike) get the same verdicts in every connection, except for
 * the own-node rule, which depends on the pair and is applied per pair.
 */
export interface PolicyPredicates {
  readonly pods: readonly PodPredicate[];
  /** ipBlock cidr and except entries, ClusterNetworkPolicy/ANP `networks`. */
  readonly cidrs: readonly CIDR[];
  /** Port names used by any rule (resolved against the destination pod's containers). */
  readonly portNames: readonly string[];
  /** Node selectors of ANP/ClusterNetworkPolicy `nodes` peers. */
  readonly nodes: readonly Selector[];
}

/** The cluster-scoped tiers around NetworkPolicy. */
export type AdminTier = 'Admin' | 'Baseline';

/** What one tier says about one direction of a connection. */
export interface TierDecision {
  /** The first matching rule with action Accept/Allow or Deny; absent: the tier did not decide. */
  readonly decision?: RuleMatch;
  /** Rules with action Pass that matched before the decision (Admin tier only), in order. */
  readonly passed: readonly RuleMatch[];
}

/**
 * The compiled ClusterNetworkPolicies (policy.networking.k8s.io/v1alpha2) and
 * AdminNetworkPolicies / BaselineAdminNetworkPolicy (v1alpha1) of a cluster.
 */
export interface AdminTiers {
  readonly predicates: PolicyPredicates;
  /**
   * Evaluates one tier for one direction: Ingress rules of policies whose subject covers
   * `conn.to`, Egress rules of policies whose subject covers `conn.from`, in priority order.
   * Endpoints that are not pods on the pod network are never subjects.
   */
  decide(tier: AdminTier, direction: PolicyDirection, conn: Connection): TierDecision;
}
