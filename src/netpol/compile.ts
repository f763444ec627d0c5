// NetworkPolicy v1 compiled once per snapshot: selectors and CIDRs parsed, the "empty means
// everything" cases of the API made explicit, and policies indexed by namespace, so evaluating a
// connection is map lookups and comparisons. What the compiled forms mean is decided in
// evaluate.ts; this file only normalises.

import { fromLabelSelector, matches, type Selector } from '../api/labels.js';
import type {
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Pod,
  Protocol,
} from '../api/types.js';
import { type CIDR, parseCIDRLoose } from '../ip/index.js';
import type { Store } from '../store/store.js';
import type { PodPredicate, PolicyDirection, PolicyRef } from './types.js';

/** One entry of a rule's from/to list: pods (by predicate) or an ipBlock. */
export type CompiledPeer =
  | { readonly index: number; readonly pods: PodPredicate }
  | { readonly index: number; readonly cidr: CIDR; readonly except: readonly CIDR[] };

/** One entry of a rule's ports list. */
export interface CompiledPort {
  readonly index: number;
  readonly protocol: Protocol;
  /** The first port of a numeric entry; absent for a named port or a protocol-only entry. */
  readonly port?: number;
  /** The last port, inclusive (endPort, or `port` itself). */
  readonly endPort?: number;
  /** A named port, resolved against the destination pod at evaluation. */
  readonly name?: string;
}

export interface CompiledRule {
  /** Index into spec.ingress or spec.egress. */
  readonly index: number;
  /** Absent when `from`/`to` is missing or empty: the rule matches every peer. */
  readonly peers?: readonly CompiledPeer[];
  /** Absent when `ports` is missing or empty: the rule matches every port and protocol. */
  readonly ports?: readonly CompiledPort[];
}

export interface CompiledPolicy {
  readonly ref: PolicyRef;
  readonly namespace: string;
  /** spec.podSelector, in the policy's namespace. */
  readonly subject: PodPredicate;
  /** Present when policyTypes lists Ingress: the pods it selects are isolated for ingress. */
  readonly ingress?: readonly CompiledRule[];
  readonly egress?: readonly CompiledRule[];
}

/** An empty selector selects everything: represented as an absent pod selector. */
function podSelector(sel: LabelSelector | undefined): Selector | undefined {
  if (sel === undefined) return undefined;
  const s = fromLabelSelector(sel);
  return s.requirements.length === 0 ? undefined : s;
}

/** Pods of one namespace (by name) or of the namespaces a selector picks; all of them without `pods`. */
function predicate(namespaces: PodPredicate['namespaces'], pods: Selector | undefined): PodPredicate {
  return pods ? { namespaces, pods } : { namespaces };
}

function compilePeer(peer: NetworkPolicyPeer, index: number, namespace: string): CompiledPeer | undefined {
  if (peer.ipBlock) {
    // Admission has validated both fields; an address that still fails to parse matches nothing
    // rather than widening the block.
    const cidr = parseCIDRLoose(peer.ipBlock.cidr);
    const except = (peer.ipBlock.except ?? []).map(parseCIDRLoose);
    if (!cidr || except.some((c) => c === undefined)) return undefined;
    return { index, cidr, except: except as CIDR[] };
  }
  // podSelector alone: pods of the policy's own namespace; namespaceSelector (with or without a
  // podSelector): pods of the namespaces it selects (networking.k8s.io/v1 NetworkPolicyPeer).
  const pods = podSelector(peer.podSelector);
  if (peer.namespaceSelector)
    return { index, pods: predicate({ selector: fromLabelSelector(peer.namespaceSelector) }, pods) };
  return { index, pods: predicate({ name: namespace }, pods) };
}

function compilePort(port: NetworkPolicyPort, index: number): CompiledPort {
  // Admission defaults the protocol to TCP; the fallback keeps unadmitted input meaningful.
  const protocol = port.protocol ?? 'TCP';
  if (port.port === undefined) return { index, protocol };
  if (typeof port.port === 'string') return { index, protocol, name: port.port };
  return { index, protocol, port: port.port, endPort: port.endPort ?? port.port };
}

function compileRules(
  rules: readonly { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[],
  direction: PolicyDirection,
  namespace: string,
): CompiledRule[] {
  return rules.map((rule, index) => {
    const list = direction === 'Ingress' ? rule.from : rule.to;
    const out: { index: number; peers?: CompiledPeer[]; ports?: CompiledPort[] } = { index };
    if (list && list.length > 0) {
      out.peers = list
        .map((peer, i) => compilePeer(peer, i, namespace))
        .filter((p): p is CompiledPeer => p !== undefined);
    }
    if (rule.ports && rule.ports.length > 0) out.ports = rule.ports.map(compilePort);
    return out;
  });
}

export function compileNetworkPolicy(np: NetworkPolicy): CompiledPolicy {
  const namespace = np.metadata.namespace ?? 'default';
  const spec = np.spec;
  const types = spec.policyTypes ?? [];
  const policy: {
    ref: PolicyRef;
    namespace: string;
    subject: PodPredicate;
    ingress?: CompiledRule[];
    egress?: CompiledRule[];
  } = {
    ref: { kind: 'NetworkPolicy', namespace, name: np.metadata.name },
    namespace,
    subject: predicate({ name: namespace }, podSelector(spec.podSelector)),
  };
  // policyTypes decides isolation on its own: egress rules of a policy without Egress in its
  // types are ignored, as the API reference says.
  if (types.includes('Ingress')) policy.ingress = compileRules(spec.ingress ?? [], 'Ingress', namespace);
  if (types.includes('Egress')) policy.egress = compileRules(spec.egress ?? [], 'Egress', namespace);
  return policy;
}

/** The policies selecting one pod, per direction, sorted by name (they share the namespace). */
export interface PodSelection {
  readonly ingress: readonly CompiledPolicy[];
  readonly egress: readonly CompiledPolicy[];
  readonly ingressRefs: readonly PolicyRef[];
  readonly egressRefs: readonly PolicyRef[];
}

const NONE: PodSelection = { ingress: [], egress: [], ingressRefs: [], egressRefs: [] };

/** Every NetworkPolicy of a snapshot, compiled and indexed by namespace. */
export class NetworkPolicyIndex {
  /** Sorted by namespace, then name. */
  readonly policies: readonly CompiledPolicy[];
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();
  // Keyed by the pod object: a snapshot's pods are not replaced while a model lives.
  private readonly selections = new WeakMap<Pod, PodSelection>();

  constructor(store: Store) {
    const compiled = store.list('NetworkPolicy').map(compileNetworkPolicy);
    compiled.sort((a, b) => compareRefs(a.ref, b.ref));
    this.policies = compiled;
    for (const p of compiled) {
      const list = this.byNamespace.get(p.namespace);
      if (list) list.push(p);
      else this.byNamespace.set(p.namespace, [p]);
    }
  }

  /**
   * The policies whose podSelector selects a pod, per direction of isolation. Callers pass only
   * pod-network pods: hostNetwork pods are their node, which no NetworkPolicy selects.
   */
  selecting(pod: Pod): PodSelection {
    let selection = this.selections.get(pod);
    if (selection) return selection;
    const candidates = this.byNamespace.get(pod.metadata.namespace ?? 'default');
    selection = candidates ? select(candidates, pod) : NONE;
    this.selections.set(pod, selection);
    return selection;
  }
}

function select(candidates: readonly CompiledPolicy[], pod: Pod): PodSelection {
  const labels = pod.metadata.labels;
  const ingress: CompiledPolicy[] = [];
  const egress: CompiledPolicy[] = [];
  for (const p of candidates) {
    const pods = p.subject.pods;
    if (pods && !matches(pods, labels)) continue;
    if (p.ingress) ingress.push(p);
    if (p.egress) egress.push(p);
  }
  if (ingress.length === 0 && egress.length === 0) return NONE;
  return { ingress, egress, ingressRefs: ingress.map((p) => p.ref), egressRefs: egress.map((p) => p.ref) };
}

function compareRefs(a: PolicyRef, b: PolicyRef): number {
  const na = a.namespace ?? '';
  const nb = b.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
