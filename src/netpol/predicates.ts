// Everything evaluation looks at, as predicates: the equivalence classes of the reachability
// matrix are built from these, so a predicate missing here would merge pods that policies tell
// apart. Deduplicated by a canonical key and sorted by it, so the classes are deterministic.

import { formatSelector, type Selector } from '../api/labels.js';
import { type CIDR, compareIP, formatCIDR } from '../ip/index.js';
import type { CompiledPolicy } from './compile.js';
import type { PodPredicate, PolicyPredicates } from './types.js';

/** `ns=web|app=api`, `nss=team=a|`: one key per distinct predicate. */
export function podPredicateKey(p: PodPredicate): string {
  const ns =
    'name' in p.namespaces ? `ns=${p.namespaces.name}` : `nss=${formatSelector(p.namespaces.selector)}`;
  return `${ns}|${p.pods ? formatSelector(p.pods) : ''}`;
}

/** The predicates of compiled NetworkPolicies: subjects, pod peers, ipBlocks, named ports. */
export function networkPolicyPredicates(policies: readonly CompiledPolicy[]): PolicyPredicates {
  const pods: PodPredicate[] = [];
  const cidrs: CIDR[] = [];
  const portNames: string[] = [];
  for (const policy of policies) {
    pods.push(policy.subject);
    for (const rules of [policy.ingress, policy.egress]) {
      for (const rule of rules ?? []) {
        for (const peer of rule.peers ?? []) {
          if ('pods' in peer) pods.push(peer.pods);
          else cidrs.push(peer.cidr, ...peer.except);
        }
        for (const port of rule.ports ?? []) if (port.name !== undefined) portNames.push(port.name);
      }
    }
  }
  return { pods, cidrs, portNames, nodes: [] };
}

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (!byKey.has(k)) byKey.set(k, item);
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as T);
}

function compareCIDRs(a: CIDR, b: CIDR): number {
  return (
    compareIP({ family: a.family, value: a.base }, { family: b.family, value: b.base }) || a.prefix - b.prefix
  );
}

/** The union of several predicate sets, deduplicated and in a deterministic order. */
export function mergePredicates(...sets: readonly PolicyPredicates[]): PolicyPredicates {
  const cidrs = unique(
    sets.flatMap((s) => s.cidrs),
    formatCIDR,
  ).sort(compareCIDRs);
  return {
    pods: unique(
      sets.flatMap((s) => s.pods),
      podPredicateKey,
    ),
    cidrs,
    portNames: unique(
      sets.flatMap((s) => s.portNames),
      (n) => n,
    ),
    nodes: unique<Selector>(
      sets.flatMap((s) => s.nodes),
      formatSelector,
    ),
  };
}
