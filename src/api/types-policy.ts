// policy.networking.k8s.io objects (wire JSON; see types.ts): the cluster-scoped policy API of
// kubernetes-sigs/network-policy-api. ClusterNetworkPolicy (v1alpha2) is the successor of the
// v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy, which clusters still run.

import type { KubeObject, LabelSelector, Protocol } from './types.js';

/** Pods in the namespaces `namespaceSelector` selects whose labels match `podSelector`. */
export interface NamespacedPod {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

/** Who a policy applies to: exactly one field is set. hostNetwork pods are never selected. */
export interface PolicySubject {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
}

// --- v1alpha2 ClusterNetworkPolicy ---

export type ClusterNetworkPolicyTier = 'Admin' | 'Baseline';
export type ClusterNetworkPolicyAction = 'Accept' | 'Deny' | 'Pass';

/** A destination port: exactly one of `number` and `range`. */
export interface ClusterNetworkPolicyPort {
  number?: number;
  range?: { start: number; end: number };
}

/**
 * Protocol-specific match: exactly one field is set. `destinationPort` is optional in the Go type
 * but the only field of a struct with minProperties 1, so every admitted entry has it.
 */
export interface ClusterNetworkPolicyProtocol {
  tcp?: { destinationPort: ClusterNetworkPolicyPort };
  udp?: { destinationPort: ClusterNetworkPolicyPort };
  sctp?: { destinationPort: ClusterNetworkPolicyPort };
  destinationNamedPort?: string;
}

export interface ClusterNetworkPolicyIngressPeer {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
}

export interface ClusterNetworkPolicyEgressPeer extends ClusterNetworkPolicyIngressPeer {
  nodes?: LabelSelector;
  networks?: string[];
  domainNames?: string[];
}

export interface ClusterNetworkPolicyIngressRule {
  name?: string;
  action: ClusterNetworkPolicyAction;
  from: ClusterNetworkPolicyIngressPeer[];
  protocols?: ClusterNetworkPolicyProtocol[];
}

export interface ClusterNetworkPolicyEgressRule {
  name?: string;
  action: ClusterNetworkPolicyAction;
  to: ClusterNetworkPolicyEgressPeer[];
  protocols?: ClusterNetworkPolicyProtocol[];
}

export interface ClusterNetworkPolicy extends KubeObject {
  kind: 'ClusterNetworkPolicy';
  spec: {
    tier: ClusterNetworkPolicyTier;
    priority: number;
    subject: PolicySubject;
    ingress?: ClusterNetworkPolicyIngressRule[];
    egress?: ClusterNetworkPolicyEgressRule[];
  };
  status?: { conditions?: Record<string, unknown>[] };
}

// --- v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy ---

/** Exactly one field is set; protocols default to TCP (admission fills them in). */
export interface AdminNetworkPolicyPort {
  portNumber?: { protocol?: Protocol; port: number };
  namedPort?: string;
  portRange?: { protocol?: Protocol; start: number; end: number };
}

export interface AdminNetworkPolicyIngressPeer {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
}

export interface AdminNetworkPolicyEgressPeer extends AdminNetworkPolicyIngressPeer {
  nodes?: LabelSelector;
  networks?: string[];
  domainNames?: string[];
}

export interface AdminNetworkPolicyIngressRule<A extends string> {
  name?: string;
  action: A;
  from: AdminNetworkPolicyIngressPeer[];
  ports?: AdminNetworkPolicyPort[];
}

export interface AdminNetworkPolicyEgressRule<A extends string> {
  name?: string;
  action: A;
  to: AdminNetworkPolicyEgressPeer[];
  ports?: AdminNetworkPolicyPort[];
}

export type AdminNetworkPolicyAction = 'Allow' | 'Deny' | 'Pass';
export type BaselineAdminNetworkPolicyAction = 'Allow' | 'Deny';

export interface AdminNetworkPolicy extends KubeObject {
  kind: 'AdminNetworkPolicy';
  spec: {
    priority: number;
    subject: PolicySubject;
    ingress?: AdminNetworkPolicyIngressRule<AdminNetworkPolicyAction>[];
    egress?: AdminNetworkPolicyEgressRule<AdminNetworkPolicyAction>[];
  };
  status?: { conditions?: Record<string, unknown>[] };
}

/** The cluster's one BaselineAdminNetworkPolicy: its name must be `default`. */
export interface BaselineAdminNetworkPolicy extends KubeObject {
  kind: 'BaselineAdminNetworkPolicy';
  spec: {
    subject: PolicySubject;
    ingress?: AdminNetworkPolicyIngressRule<BaselineAdminNetworkPolicyAction>[];
    egress?: AdminNetworkPolicyEgressRule<BaselineAdminNetworkPolicyAction>[];
  };
  status?: { conditions?: Record<string, unknown>[] };
}
