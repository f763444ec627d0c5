// The policy model of one snapshot: compiled NetworkPolicies, the admin tiers around them, the
// cluster facts they are matched against, and the address index that turns IPs into connection
// ends. Built once; everything per pod is computed lazily and cached, so building stays
// independent of the number of pods.

import type { Pod } from '../api/types.js';
import type { IP, IPFamily } from '../ip/index.js';
import type { Store } from '../store/store.js';
import { compileAdminTiers } from './admin-compile.js';
import { NetworkPolicyIndex } from './compile.js';
import { EndpointIndex } from './endpoints.js';
import { ClusterFacts } from './facts.js';
import { mergePredicates, networkPolicyPredicates } from './predicates.js';
import type { AdminTiers, Endpoint, PolicyDirection, PolicyPredicates, PolicyRef } from './types.js';

export interface PolicyModel {
  readonly store: Store;
  readonly facts: ClusterFacts;
  /** The ClusterNetworkPolicy / AdminNetworkPolicy / BaselineAdminNetworkPolicy tiers. */
  readonly admin: AdminTiers;
  /** The compiled NetworkPolicies, indexed by namespace (what evaluate() walks). */
  readonly networkPolicies: NetworkPolicyIndex;
  /** NetworkPolicy + admin predicates, deduplicated, in a deterministic order. */
  predicates(): PolicyPredicates;
  /**
   * The endpoint a pod is as a connection end: pod-network pods -> kind 'pod' with their IP of
   * `family` (default: their primary IP); hostNetwork pods -> kind 'node' (the node's InternalIP
   * of the family) with `pod`; undefined when the pod has no such IP (not started yet, or
   * Succeeded/Failed) or no node.
   */
  podEndpoint(pod: Pod, family?: IPFamily): Endpoint | undefined;
  /** A node's InternalIP of the family (default: its first InternalIP). */
  nodeEndpoint(node: string, family?: IPFamily): Endpoint | undefined;
  /** The pod-network pod holding `ip`, else the node holding it (InternalIP), else external. */
  ipEndpoint(ip: IP): Endpoint;
  /** The NetworkPolicies that isolate a pod in a direction (sorted by name). */
  isolatedBy(pod: Pod, direction: PolicyDirection): readonly PolicyRef[];
}

const NO_REFS: readonly PolicyRef[] = [];

class Model implements PolicyModel {
  readonly facts: ClusterFacts;
  readonly admin: AdminTiers;
  readonly networkPolicies: NetworkPolicyIndex;
  private readonly endpoints: EndpointIndex;
  private merged: PolicyPredicates | undefined;

  constructor(readonly store: Store) {
    this.facts = new ClusterFacts(store);
    this.admin = compileAdminTiers(store, this.facts);
    this.networkPolicies = new NetworkPolicyIndex(store);
    this.endpoints = new EndpointIndex(store);
  }

  predicates(): PolicyPredicates {
    this.merged ??= mergePredicates(
      networkPolicyPredicates(this.networkPolicies.policies),
      this.admin.predicates,
    );
    return this.merged;
  }

  podEndpoint(pod: Pod, family?: IPFamily): Endpoint | undefined {
    return this.endpoints.podEndpoint(pod, family);
  }

  nodeEndpoint(node: string, family?: IPFamily): Endpoint | undefined {
    return this.endpoints.nodeEndpoint(node, family);
  }

  ipEndpoint(ip: IP): Endpoint {
    return this.endpoints.ipEndpoint(ip);
  }

  isolatedBy(pod: Pod, direction: PolicyDirection): readonly PolicyRef[] {
    // hostNetwork pods are their node: no NetworkPolicy selects them.
    if (pod.spec.hostNetwork) return NO_REFS;
    const selection = this.networkPolicies.selecting(pod);
    return direction === 'Ingress' ? selection.ingressRefs : selection.egressRefs;
  }
}

export function compilePolicyModel(store: Store): PolicyModel {
  return new Model(store);
}
