// One tier, one direction, one connection: the policies whose subject holds the pod at the
// enforcing end, in precedence order, and the first of their rules that matches. As the
// network-policy-api specifies: rules of a policy apply in the order written; the first matching
// Accept/Allow or Deny decides; a matching Pass skips every remaining rule of the tier.

import { matches } from '../api/labels.js';
import type { Pod } from '../api/types.js';
import { cidrContains, type IP, ipKey, parseIP } from '../ip/index.js';
import type { AdminPeer, AdminPolicy, AdminPort, AdminRule } from './admin-rules.js';
import type { ClusterFacts } from './facts.js';
import type {
  AdminTier,
  Connection,
  Endpoint,
  PodPredicate,
  PolicyDirection,
  RuleMatch,
  TierDecision,
} from './types.js';

const UNDECIDED: TierDecision = { passed: [] };

/** The policies of each tier and direction that select a pod, computed once per pod. */
interface Selection {
  readonly AdminIngress: readonly AdminPolicy[];
  readonly AdminEgress: readonly AdminPolicy[];
  readonly BaselineIngress: readonly AdminPolicy[];
  readonly BaselineEgress: readonly AdminPolicy[];
}

export class AdminTierDecider {
  // Keyed by the pod object: a snapshot's pods are not replaced while a model lives.
  private readonly selections = new WeakMap<Pod, Selection>();
  // Which namespaces a pod predicate covers, learnt as namespaces are met.
  private readonly namespaceCover = new Map<PodPredicate, Map<string, boolean>>();
  /** Every address of every node (InternalIP and ExternalIP alike) to its node name. */
  private nodeByAddress: Map<string, string> | undefined;

  /** `policies` must be in precedence order within each tier. */
  constructor(
    private readonly facts: ClusterFacts,
    private readonly policies: readonly AdminPolicy[],
  ) {}

  decide(tier: AdminTier, direction: PolicyDirection, conn: Connection): TierDecision {
    // Most clusters have no admin policies: then no per-pod selection is worth building.
    if (this.policies.length === 0) return UNDECIDED;
    const subject = direction === 'Ingress' ? conn.to : conn.from;
    // Only pods on the pod network are subjects; hostNetwork pods are their node.
    if (subject.kind !== 'pod') return UNDECIDED;
    const policies = this.selection(subject.pod)[`${tier}${direction}`];
    const peer = direction === 'Ingress' ? conn.from : conn.to;
    for (const policy of policies) {
      const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
      for (const rule of rules) {
        const match = this.matchRule(policy, rule, direction, peer, conn);
        if (!match) continue;
        return match.action === 'Pass' ? { passed: [match] } : { decision: match, passed: [] };
      }
    }
    return UNDECIDED;
  }

  private selection(pod: Pod): Selection {
    let s = this.selections.get(pod);
    if (s) return s;
    const sel = { AdminIngress: [], AdminEgress: [], BaselineIngress: [], BaselineEgress: [] } as {
      [K in keyof Selection]: AdminPolicy[];
    };
    for (const p of this.policies) {
      if (!this.coversPod(p.subject, pod)) continue;
      // A policy without rules in a direction does not affect that direction.
      if (p.ingress.length > 0) sel[`${p.tier}Ingress`].push(p);
      if (p.egress.length > 0) sel[`${p.tier}Egress`].push(p);
    }
    s = sel;
    this.selections.set(pod, s);
    return s;
  }

  private coversPod(predicate: PodPredicate, pod: Pod): boolean {
    const namespace = pod.metadata.namespace ?? '';
    let byNamespace = this.namespaceCover.get(predicate);
    if (!byNamespace) {
      byNamespace = new Map();
      this.namespaceCover.set(predicate, byNamespace);
    }
    let covered = byNamespace.get(namespace);
    if (covered === undefined) {
      covered = this.facts.coversNamespace(predicate, namespace);
      byNamespace.set(namespace, covered);
    }
    return covered && (predicate.pods === undefined || matches(predicate.pods, pod.metadata.labels));
  }

  private matchRule(
    policy: AdminPolicy,
    rule: AdminRule,
    direction: PolicyDirection,
    peer: Endpoint,
    conn: Connection,
  ): RuleMatch | undefined {
    const peerIndex = this.matchPeer(rule.peers, peer);
    if (peerIndex === undefined) return undefined;
    let portIndex: number | undefined;
    if (rule.ports) {
      portIndex = this.matchPort(rule.ports, conn);
      if (portIndex === undefined) return undefined;
    }
    const match: { -readonly [K in keyof RuleMatch]: RuleMatch[K] } = {
      policy: policy.ref,
      direction,
      rule: rule.index,
      action: rule.action,
      peer: peerIndex,
    };
    if (rule.name !== undefined) match.ruleName = rule.name;
    if (portIndex !== undefined) match.port = portIndex;
    if (policy.priority !== undefined) match.priority = policy.priority;
    return match;
  }

  /** The index (in the rule's list) of the first peer that holds the endpoint. */
  private matchPeer(peers: readonly AdminPeer[], end: Endpoint): number | undefined {
    for (const peer of peers) {
      switch (peer.kind) {
        case 'pods':
          if (end.kind === 'pod' && this.coversPod(peer.pods, end.pod)) return peer.index;
          break;
        case 'nodes': {
          const node =
            end.kind === 'node' ? end.node : end.kind === 'external' ? this.nodeOf(end.ip) : undefined;
          if (node !== undefined && this.facts.coversNode(peer.selector, node)) return peer.index;
          break;
        }
        case 'networks':
          for (const c of peer.cidrs) if (cidrContains(c, end.ip)) return peer.index;
          break;
        case 'domainNames':
          break;
      }
    }
    return undefined;
  }

  /** The index of the first port entry the connection's destination port and protocol match. */
  private matchPort(ports: readonly AdminPort[], conn: Connection): number | undefined {
    for (const p of ports) {
      if ('name' in p) {
        // Named ports exist only on pods: a node or external destination never has one.
        if (conn.to.kind === 'pod' && this.facts.namedPort(conn.to.pod, p.name, conn.protocol) === conn.port)
          return p.index;
      } else if (p.protocol === conn.protocol && p.start <= conn.port && conn.port <= p.end) {
        return p.index;
      }
    }
    return undefined;
  }

  /**
   * The node holding an address the endpoint index called external: `nodes` peers match every
   * address in a node's status.addresses, ExternalIPs included, not only the InternalIP.
   */
  private nodeOf(ip: IP): string | undefined {
    if (!this.nodeByAddress) {
      this.nodeByAddress = new Map();
      for (const node of this.facts.store.list('Node')) {
        for (const a of node.status?.addresses ?? []) {
          const parsed = parseIP(a.address);
          if (parsed && !this.nodeByAddress.has(ipKey(parsed)))
            this.nodeByAddress.set(ipKey(parsed), node.metadata.name);
        }
      }
    }
    return this.nodeByAddress.get(ipKey(ip));
  }
}
