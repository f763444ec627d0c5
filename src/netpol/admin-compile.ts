// The cluster-scoped policy tiers of a snapshot: ClusterNetworkPolicies (v1alpha2),
// AdminNetworkPolicies and the BaselineAdminNetworkPolicy (v1alpha1), compiled, put in precedence
// order, and summarised as the predicates that tell endpoints apart.
//
// Precedence within a tier, where the API leaves it open (network-policy-api: "If two (or more)
// policies in the same tier with the same priority could match a connection, then the
// implementation can apply any of the matching policies"), is made deterministic here:
// - Admin tier: by priority (lower first; ClusterNetworkPolicy and AdminNetworkPolicy share the
//   0-1000 scale), then ClusterNetworkPolicy before AdminNetworkPolicy, then by name.
// - Baseline tier: ClusterNetworkPolicies by priority, then name; the BaselineAdminNetworkPolicy,
//   which has no priority, after all of them.

import { canonicalJSON } from '../api/hash.js';
import type { Selector } from '../api/labels.js';
import { type CIDR, formatCIDR } from '../ip/index.js';
import type { Store } from '../store/store.js';
import { AdminTierDecider } from './admin-decide.js';
import { type AdminPolicy, compileAdminNetworkPolicy, compileClusterNetworkPolicy } from './admin-rules.js';
import type { ClusterFacts } from './facts.js';
import type { AdminTiers, PodPredicate, PolicyPredicates } from './types.js';

const KIND_ORDER = {
  ClusterNetworkPolicy: 0,
  AdminNetworkPolicy: 1,
  BaselineAdminNetworkPolicy: 2,
  NetworkPolicy: 3,
};

/** Precedence order: Admin tier first, then as the header says. */
export function comparePolicies(a: AdminPolicy, b: AdminPolicy): number {
  if (a.tier !== b.tier) return a.tier === 'Admin' ? -1 : 1;
  // The BaselineAdminNetworkPolicy has no priority: it ranks after every priority.
  const pa = a.priority ?? Number.POSITIVE_INFINITY;
  const pb = b.priority ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa - pb;
  const ka = KIND_ORDER[a.ref.kind];
  const kb = KIND_ORDER[b.ref.kind];
  if (ka !== kb) return ka - kb;
  return a.ref.name < b.ref.name ? -1 : a.ref.name > b.ref.name ? 1 : 0;
}

/** Every cluster-scoped policy of the store, compiled, in precedence order. */
export function compileAdminPolicies(store: Store): AdminPolicy[] {
  const policies: AdminPolicy[] = [];
  for (const cnp of store.list('ClusterNetworkPolicy')) policies.push(compileClusterNetworkPolicy(cnp));
  for (const anp of store.list('AdminNetworkPolicy')) policies.push(compileAdminNetworkPolicy(anp));
  for (const banp of store.list('BaselineAdminNetworkPolicy')) policies.push(compileAdminNetworkPolicy(banp));
  return policies.sort(comparePolicies);
}

/** Collects values once each, keyed by a canonical form, in the order first met. */
class Distinct<T> {
  readonly values: T[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly key: (v: T) => string) {}
  add(v: T): void {
    const k = this.key(v);
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.values.push(v);
  }
}

/** Every subject and peer of the policies, deduplicated, in precedence order. */
export function adminPredicates(policies: readonly AdminPolicy[]): PolicyPredicates {
  const pods = new Distinct<PodPredicate>(canonicalJSON);
  const cidrs = new Distinct<CIDR>(formatCIDR);
  const portNames = new Distinct<string>((n) => n);
  const nodes = new Distinct<Selector>(canonicalJSON);
  for (const p of policies) {
    pods.add(p.subject);
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === 'pods') pods.add(peer.pods);
        else if (peer.kind === 'nodes') nodes.add(peer.selector);
        else if (peer.kind === 'networks') for (const c of peer.cidrs) cidrs.add(c);
      }
      for (const port of rule.ports ?? []) if ('name' in port) portNames.add(port.name);
    }
  }
  return { pods: pods.values, cidrs: cidrs.values, portNames: portNames.values, nodes: nodes.values };
}

export function compileAdminTiers(store: Store, facts: ClusterFacts): AdminTiers {
  const policies = compileAdminPolicies(store);
  const decider = new AdminTierDecider(facts, policies);
  return {
    predicates: adminPredicates(policies),
    decide: (tier, direction, conn) => decider.decide(tier, direction, conn),
  };
}
