// What `podnet trace` answers, as plain JSON (DESIGN.md "JSON shapes", `trace -o json`): the
// verdict and the hops a connection takes, each hop saying what it decided and why.
//
// Hops come in the order a packet meets them. This issue traces between connection ends (pods,
// nodes, outside addresses): source -> egress-policy -> ingress-policy -> delivery. The layers of
// the next issue slot in between without changing these: a DNS lookup after the source, then an
// ingress controller's routing, then a Service's frontend and endpoint choice (DNAT), after which
// the two policy hops see the chosen endpoint, as enforcement does.

import type { Protocol } from '../api/types.js';
import type { AdminTier, PolicyDirection, RuleAction, VerdictReason } from '../netpol/types.js';

/**
 * `delivered`: every layer lets the connection through; `denied`: a policy drops it. The other
 * values belong to the layers of the next issue (no endpoints behind a Service, no route, a name
 * that does not resolve, a port nothing serves).
 */
export type TraceVerdict = 'delivered' | 'denied' | 'no-endpoints' | 'no-route' | 'nxdomain' | 'refused';

/** A connection end in output: who it is, and the address the connection uses. */
export type EndRef =
  /** A pod on the pod network, on its node. */
  | { readonly kind: 'pod'; readonly pod: string; readonly ip: string; readonly node?: string }
  /** A node's own address; `pod` names the hostNetwork pod speaking with it, if any. */
  | { readonly kind: 'node'; readonly node: string; readonly ip: string; readonly pod?: string }
  /** An address outside the cluster. */
  | { readonly kind: 'external'; readonly ip: string };

/** A rule that matched, located in its policy's YAML. */
export interface RuleRef {
  /** `NetworkPolicy/ns/name`, `ClusterNetworkPolicy/name` (policyRefString). */
  readonly policy: string;
  readonly action: RuleAction;
  /** Index into spec.ingress or spec.egress. */
  readonly rule: number;
  /** The rule's name (ClusterNetworkPolicy, AdminNetworkPolicy). */
  readonly ruleName?: string;
  /** Admin tiers: the policy's priority. */
  readonly priority?: number;
  /** Index into the rule's from/to list; absent when the rule has none (every peer matches). */
  readonly peer?: number;
  /** Index into the rule's ports (protocols) list; absent when it has none (every port matches). */
  readonly port?: number;
  /** The rule's field path: `spec.ingress[0]`. */
  readonly field: string;
  /** The matching peer's field path: `spec.ingress[0].from[1]`. */
  readonly peerField?: string;
  /** The matching port entry's field path: `spec.ingress[0].ports[0]`. */
  readonly portField?: string;
}

export interface SourceHop {
  readonly kind: 'source';
  readonly endpoint: EndRef;
}

/** One direction's verdict (netpol DirectionVerdict), at the end where it is enforced. */
export interface PolicyHop {
  readonly kind: 'egress-policy' | 'ingress-policy';
  readonly direction: PolicyDirection;
  /** The end enforcing: the source for egress, the destination for ingress. */
  readonly endpoint: EndRef;
  /** The destination port and protocol as policies see them (after any DNAT). */
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  readonly reason: VerdictReason;
  /** The layer that decided; absent when none did (not enforced, own node, default allow). */
  readonly tier?: AdminTier | 'NetworkPolicy';
  /** The NetworkPolicies isolating the pod in this direction. */
  readonly isolatedBy: readonly string[];
  /** The deciding Admin/Baseline rule, or every NetworkPolicy rule that allows. */
  readonly decidedBy: readonly RuleRef[];
  /** Admin tier rules with action Pass that matched first. */
  readonly passedBy: readonly RuleRef[];
}

/** Where the connection arrives, and whether anything there declares the port. */
export interface DeliveryHop {
  readonly kind: 'delivery';
  readonly endpoint: EndRef;
  readonly port: number;
  readonly protocol: Protocol;
  /**
   * Whether a container declares port/protocol: the destination pod's containers, or on a node
   * the hostNetwork pods there. Absent for outside addresses, which the model does not know.
   * False does not stop the connection at the network level; it says nothing is known to listen.
   */
  readonly declared?: boolean;
  /** The pod whose container declares the port (for a node: a hostNetwork pod on it). */
  readonly pod?: string;
  readonly container?: string;
  /** The declared port's name. */
  readonly portName?: string;
}

export type Hop = SourceHop | PolicyHop | DeliveryHop;

export interface Trace {
  readonly kind: 'Trace';
  readonly verdict: TraceVerdict;
  readonly hops: readonly Hop[];
  /** Where the connection was delivered (absent unless delivered). */
  readonly endpoint?: { readonly pod?: string; readonly ip: string; readonly port: number };
}
