// NetworkPolicy findings, read from the policy engine's compiled form (src/netpol/compile.ts) so
// "selects" means exactly what enforcement means: policies that select no pod, peers that select
// nothing, rules that policyTypes switches off, and named ports no destination declares.

import { formatSelector, fromLabelSelector } from '../api/labels.js';
import type { NetworkPolicy, Pod } from '../api/types.js';
import type { CompiledPolicy, CompiledRule } from '../netpol/compile.js';
import type { ClusterFacts } from '../netpol/facts.js';
import type { PodPredicate, PolicyDirection } from '../netpol/types.js';
import { fieldPath, type LintContext } from './context.js';
import type { Rule } from './types.js';

/** NetworkPolicy selects pods on the pod network only; hostNetwork pods are their node. */
function enforced(pod: Pod): boolean {
  return pod.spec.hostNetwork !== true;
}

/** Whether some pod-network pod covered by `predicate` passes `test`, stopping at the first. */
function anyPod(
  ctx: LintContext,
  facts: ClusterFacts,
  predicate: PodPredicate,
  test: (pod: Pod) => boolean = enforced,
): boolean {
  for (const ns of facts.namespacesCovered(predicate)) {
    const pods = predicate.pods ? ctx.store.select('Pod', ns, predicate.pods) : ctx.store.list('Pod', ns);
    for (const pod of pods) if (enforced(pod) && test(pod)) return true;
  }
  return false;
}

/** Each compiled policy with its object, in namespace/name order. */
function* policies(ctx: LintContext): Generator<{ policy: CompiledPolicy; object: NetworkPolicy }> {
  for (const policy of ctx.policyModel().networkPolicies.policies) {
    const object = ctx.store.get('NetworkPolicy', policy.namespace, policy.ref.name);
    if (object) yield { policy, object };
  }
}

/** The compiled rules of one direction with their field names: `ingress`/`from`, `egress`/`to`. */
interface RuleList {
  direction: PolicyDirection;
  rules: readonly CompiledRule[];
  list: string;
  peers: string;
}

function* directions(policy: CompiledPolicy): Generator<RuleList> {
  if (policy.ingress) yield { direction: 'Ingress', rules: policy.ingress, list: 'ingress', peers: 'from' };
  if (policy.egress) yield { direction: 'Egress', rules: policy.egress, list: 'egress', peers: 'to' };
}

/** Each peer that selects pods (not an ipBlock), with its policy, direction and rule. */
function* podPeers(ctx: LintContext): Generator<{
  policy: CompiledPolicy;
  object: NetworkPolicy;
  d: RuleList;
  rule: CompiledRule;
  peer: Extract<NonNullable<CompiledRule['peers']>[number], { pods: PodPredicate }>;
}> {
  for (const { policy, object } of policies(ctx))
    for (const d of directions(policy))
      for (const rule of d.rules)
        for (const peer of rule.peers ?? []) if ('pods' in peer) yield { policy, object, d, rule, peer };
}

const selectsNothing: Rule = {
  code: 'networkpolicy-selects-nothing',
  severity: 'info',
  title: 'a NetworkPolicy whose podSelector selects no pod',
  check(ctx, report) {
    const facts = ctx.policyModel().facts;
    for (const { policy, object } of policies(ctx)) {
      if (anyPod(ctx, facts, policy.subject)) continue;
      const selector = formatSelector(fromLabelSelector(object.spec.podSelector));
      report(
        object,
        'spec.podSelector',
        `podSelector ${selector ? selector : '{} (every pod)'} selects no pod in namespace ${policy.namespace} (hostNetwork pods are never selected): the policy has no effect yet; that is right for pods still to come, otherwise check the labels`,
      );
    }
  },
};

const peerSelectsNoNamespace: Rule = {
  code: 'networkpolicy-peer-selects-no-namespace',
  severity: 'warning',
  title: 'a policy peer whose namespaceSelector matches no namespace',
  check(ctx, report) {
    const facts = ctx.policyModel().facts;
    for (const { object, d, rule, peer } of podPeers(ctx)) {
      if ('name' in peer.pods.namespaces) continue;
      if (facts.namespacesCovered(peer.pods).length > 0) continue;
      const field = fieldPath('spec', d.list, rule.index, d.peers, peer.index, 'namespaceSelector');
      report(
        object,
        field,
        `namespaceSelector ${formatSelector(peer.pods.namespaces.selector)} matches no namespace, so this peer allows no ${d.direction.toLowerCase()} traffic; select a namespace by name with kubernetes.io/metadata.name=<name>, the label the API server puts on every namespace`,
      );
    }
  },
};

const peerSelectsNoPod: Rule = {
  code: 'networkpolicy-peer-selects-no-pod',
  severity: 'warning',
  title: 'a policy peer whose podSelector matches no pod in the namespaces it covers',
  check(ctx, report) {
    const facts = ctx.policyModel().facts;
    for (const { policy, object, d, rule, peer } of podPeers(ctx)) {
      if (!peer.pods.pods) continue;
      const namespaces = facts.namespacesCovered(peer.pods);
      // A namespaceSelector matching nothing is its own finding.
      if (namespaces.length === 0 || anyPod(ctx, facts, peer.pods)) continue;
      const where =
        'name' in peer.pods.namespaces
          ? `the policy's namespace ${policy.namespace} (a podSelector alone selects there)`
          : `the ${namespaces.length === 1 ? 'namespace' : 'namespaces'} the namespaceSelector matches (${namespaces.sort().join(', ')})`;
      report(
        object,
        fieldPath('spec', d.list, rule.index, d.peers, peer.index, 'podSelector'),
        `podSelector ${formatSelector(peer.pods.pods)} matches no pod in ${where}, so this peer allows no ${d.direction.toLowerCase()} traffic yet; check the labels`,
      );
    }
  },
};

const rulesIgnored: Rule = {
  code: 'networkpolicy-rules-ignored',
  severity: 'warning',
  title: 'ingress or egress rules that policyTypes leaves out, and so are ignored',
  check(ctx, report) {
    for (const { object } of policies(ctx)) {
      const types = object.spec.policyTypes ?? [];
      for (const [list, type] of [
        ['ingress', 'Ingress'],
        ['egress', 'Egress'],
      ] as const) {
        if (!object.spec[list]?.length || types.includes(type)) continue;
        report(
          object,
          fieldPath('spec', list),
          `policyTypes [${types.join(', ')}] does not list ${type}, so these ${list} rules are ignored and the selected pods are not isolated for ${list}; add ${type} to policyTypes, or leave policyTypes out and the API server derives it from the rules`,
        );
      }
    }
  },
};

const namedPortUnresolved: Rule = {
  code: 'networkpolicy-port-name-unresolved',
  severity: 'warning',
  title: 'a named port in a policy rule that no destination pod declares',
  check(ctx, report) {
    const facts = ctx.policyModel().facts;
    for (const { policy, object } of policies(ctx)) {
      for (const d of directions(policy)) {
        for (const rule of d.rules) {
          for (const port of rule.ports ?? []) {
            const name = port.name;
            if (name === undefined) continue;
            // The destination: the selected pods for ingress; for egress, the peers when they are
            // all pods (an ipBlock or a rule without peers reaches beyond what the snapshot holds).
            let destinations: PodPredicate[];
            if (d.direction === 'Ingress') destinations = [policy.subject];
            else if (rule.peers && rule.peers.length > 0 && rule.peers.every((p) => 'pods' in p))
              destinations = rule.peers.map((p) => (p as { pods: PodPredicate }).pods);
            else continue;
            // No pod at all is the selector's finding, not the port's.
            if (!destinations.some((pred) => anyPod(ctx, facts, pred))) continue;
            const declares = (pod: Pod) => facts.namedPort(pod, name, port.protocol) !== undefined;
            if (destinations.some((pred) => anyPod(ctx, facts, pred, declares))) continue;
            const whose = d.direction === 'Ingress' ? 'the pods the policy selects' : "the rule's peers";
            report(
              object,
              fieldPath('spec', d.list, rule.index, 'ports', port.index, 'port'),
              `named port ${JSON.stringify(name)}/${port.protocol}: none of ${whose} declares a container port of that name and protocol, so this entry matches no traffic; name the container port, or give the number`,
            );
          }
        }
      }
    }
  },
};

export const POLICY_RULES: readonly Rule[] = [
  selectsNothing,
  peerSelectsNoNamespace,
  peerSelectsNoPod,
  rulesIgnored,
  namedPortUnresolved,
];
