// The cluster-scoped policies compiled to one form: ClusterNetworkPolicy (v1alpha2) and the
// v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy differ in field names (`protocols` vs
// `ports`, `Accept` vs `Allow`) but not in meaning, so both become an AdminPolicy whose rules are
// checked in the order written. Selectors and CIDRs are parsed here, once; what a match means is
// decided in admin-decide.ts.

import { fromLabelSelector, type Selector } from '../api/labels.js';
import type {
  AdminNetworkPolicy,
  AdminNetworkPolicyEgressPeer,
  AdminNetworkPolicyPort,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ClusterNetworkPolicyEgressPeer,
  ClusterNetworkPolicyProtocol,
  LabelSelector,
  NamespacedPod,
  PolicySubject,
  Protocol,
} from '../api/types.js';
import { type CIDR, parseCIDRLoose } from '../ip/index.js';
import type { AdminTier, PodPredicate, PolicyRef, RuleAction } from './types.js';

/** One entry of a rule's from/to list. */
export type AdminPeer =
  /** `namespaces` or `pods`: pods on the pod network (never hostNetwork pods). */
  | { readonly index: number; readonly kind: 'pods'; readonly pods: PodPredicate }
  /** `nodes`: the addresses of the nodes whose labels match. */
  | { readonly index: number; readonly kind: 'nodes'; readonly selector: Selector }
  /** `networks`: any address in one of the CIDRs, pod and node addresses included. */
  | { readonly index: number; readonly kind: 'networks'; readonly cidrs: readonly CIDR[] }
  /**
   * `domainNames`: the addresses a name resolved to when the connection was made, which only
   * the data plane's DNS snooping knows; analysis cannot prove a match, so the peer matches none.
   */
  | { readonly index: number; readonly kind: 'domainNames' };

/** One entry of a rule's protocols/ports list. */
export type AdminPort =
  | { readonly index: number; readonly protocol: Protocol; readonly start: number; readonly end: number }
  /** A container port name, resolved against the destination pod with the connection's protocol. */
  | { readonly index: number; readonly name: string };

export interface AdminRule {
  /** Index into spec.ingress or spec.egress. */
  readonly index: number;
  readonly name?: string;
  readonly action: RuleAction;
  readonly peers: readonly AdminPeer[];
  /** Absent: the rule matches every port and protocol. */
  readonly ports?: readonly AdminPort[];
}

export interface AdminPolicy {
  readonly ref: PolicyRef;
  readonly tier: AdminTier;
  /** Absent for the BaselineAdminNetworkPolicy, which has none. */
  readonly priority?: number;
  readonly subject: PodPredicate;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
}

/** An empty pod selector selects every pod: represented as an absent `pods`. */
function podsPredicate(
  nsSelector: LabelSelector | undefined,
  podSelector: LabelSelector | undefined,
): PodPredicate {
  // v1alpha2 NamespacedPod.namespaceSelector is optional; omitted, like empty, selects all.
  const namespaces = { selector: fromLabelSelector(nsSelector ?? {}) };
  const pods = fromLabelSelector(podSelector ?? {});
  return pods.requirements.length === 0 ? { namespaces } : { namespaces, pods };
}

function namedPodPredicate(p: NamespacedPod): PodPredicate {
  return podsPredicate(p.namespaceSelector, p.podSelector);
}

function subjectPredicate(subject: PolicySubject): PodPredicate {
  if (subject.pods) return namedPodPredicate(subject.pods);
  return { namespaces: { selector: fromLabelSelector(subject.namespaces ?? {}) } };
}

/** Both API versions share the peer shape (egress peers are a superset of ingress peers). */
function compilePeer(
  peer: ClusterNetworkPolicyEgressPeer | AdminNetworkPolicyEgressPeer,
  index: number,
): AdminPeer {
  if (peer.namespaces)
    return { index, kind: 'pods', pods: { namespaces: { selector: fromLabelSelector(peer.namespaces) } } };
  if (peer.pods) return { index, kind: 'pods', pods: namedPodPredicate(peer.pods) };
  if (peer.nodes) return { index, kind: 'nodes', selector: fromLabelSelector(peer.nodes) };
  if (peer.networks) {
    const cidrs: CIDR[] = [];
    for (const n of peer.networks) {
      const c = parseCIDRLoose(n);
      if (c) cidrs.push(c);
    }
    return { index, kind: 'networks', cidrs };
  }
  return { index, kind: 'domainNames' };
}

const CNP_PROTOCOLS = [
  ['tcp', 'TCP'],
  ['udp', 'UDP'],
  ['sctp', 'SCTP'],
] as const;

function compileProtocol(p: ClusterNetworkPolicyProtocol, index: number): AdminPort | undefined {
  if (p.destinationNamedPort !== undefined) return { index, name: p.destinationNamedPort };
  for (const [field, protocol] of CNP_PROTOCOLS) {
    const match = p[field];
    if (!match) continue;
    const { number, range } = match.destinationPort;
    if (range) return { index, protocol, start: range.start, end: range.end };
    // Exactly one of number and range is set: this is the number.
    return { index, protocol, start: number ?? 0, end: number ?? 0 };
  }
  return undefined;
}

function compileANPPort(p: AdminNetworkPolicyPort, index: number): AdminPort | undefined {
  // Admission defaults both protocols to TCP; the fallback keeps unadmitted input meaningful.
  if (p.portNumber) {
    const n = p.portNumber.port;
    return { index, protocol: p.portNumber.protocol ?? 'TCP', start: n, end: n };
  }
  if (p.portRange)
    return { index, protocol: p.portRange.protocol ?? 'TCP', start: p.portRange.start, end: p.portRange.end };
  if (p.namedPort !== undefined) return { index, name: p.namedPort };
  return undefined;
}

function compilePorts<T>(
  list: readonly T[] | undefined,
  compile: (p: T, i: number) => AdminPort | undefined,
) {
  if (list === undefined || list.length === 0) return undefined;
  const out: AdminPort[] = [];
  list.forEach((p, i) => {
    const c = compile(p, i);
    if (c) out.push(c);
  });
  return out;
}

interface RawRule<P> {
  name?: string;
  action: RuleAction;
  peers: readonly (ClusterNetworkPolicyEgressPeer | AdminNetworkPolicyEgressPeer)[];
  ports?: readonly P[];
}

function compileRules<P>(
  rules: readonly RawRule<P>[],
  compilePort: (p: P, i: number) => AdminPort | undefined,
): AdminRule[] {
  return rules.map((r, index) => {
    const rule: { -readonly [K in keyof AdminRule]: AdminRule[K] } = {
      index,
      action: r.action,
      peers: r.peers.map(compilePeer),
    };
    if (r.name) rule.name = r.name;
    const ports = compilePorts(r.ports, compilePort);
    if (ports) rule.ports = ports;
    return rule;
  });
}

export function compileClusterNetworkPolicy(cnp: ClusterNetworkPolicy): AdminPolicy {
  const spec = cnp.spec;
  return {
    ref: { kind: 'ClusterNetworkPolicy', name: cnp.metadata.name },
    tier: spec.tier,
    priority: spec.priority,
    subject: subjectPredicate(spec.subject),
    ingress: compileRules(
      (spec.ingress ?? []).map((r) => ({
        name: r.name,
        action: r.action,
        peers: r.from ?? [],
        ports: r.protocols,
      })),
      compileProtocol,
    ),
    egress: compileRules(
      (spec.egress ?? []).map((r) => ({
        name: r.name,
        action: r.action,
        peers: r.to ?? [],
        ports: r.protocols,
      })),
      compileProtocol,
    ),
  };
}

export function compileAdminNetworkPolicy(
  policy: AdminNetworkPolicy | BaselineAdminNetworkPolicy,
): AdminPolicy {
  const spec = policy.spec;
  const compiled = {
    ref: { kind: policy.kind, name: policy.metadata.name },
    tier: policy.kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline',
    subject: subjectPredicate(spec.subject),
    ingress: compileRules(
      (spec.ingress ?? []).map((r) => ({
        name: r.name,
        action: r.action,
        peers: r.from ?? [],
        ports: r.ports,
      })),
      compileANPPort,
    ),
    egress: compileRules(
      (spec.egress ?? []).map((r) => ({ name: r.name, action: r.action, peers: r.to ?? [], ports: r.ports })),
      compileANPPort,
    ),
  } as const;
  return policy.kind === 'AdminNetworkPolicy' ? { ...compiled, priority: policy.spec.priority } : compiled;
}
