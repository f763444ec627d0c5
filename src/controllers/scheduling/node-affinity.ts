// Which nodes a pod's nodeSelector and required node affinity admit
// (component-helpers/scheduling/corev1/nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)).
// Terms are ORed; within a term, every expression and field requirement must hold.

import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from '../../api/types.js';

// Label values compared by Gt/Lt must be integers, as strconv.ParseInt accepts them.
const INTEGER = /^[+-]?\d+$/;

function matchesExpression(
  r: NodeSelectorRequirement,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? (labels as Record<string, string>)[r.key] : '';
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(value);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const bound = r.values?.[0];
      if (!has || bound === undefined || !INTEGER.test(value) || !INTEGER.test(bound)) return false;
      const v = BigInt(value);
      const b = BigInt(bound);
      return r.operator === 'Gt' ? v > b : v < b;
    }
    default:
      return false;
  }
}

// matchFields supports only `metadata.name` with In / NotIn (the API's validation says so).
function matchesField(r: NodeSelectorRequirement, node: Node): boolean {
  if (r.key !== 'metadata.name') return false;
  if (r.operator === 'In') return (r.values ?? []).includes(node.metadata.name);
  if (r.operator === 'NotIn') return !(r.values ?? []).includes(node.metadata.name);
  return false;
}

/** A term with no requirements selects no node. */
function matchesTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!matchesExpression(r, node.metadata.labels)) return false;
  for (const r of fields) if (!matchesField(r, node)) return false;
  return true;
}

export function matchesNodeSelectorTerms(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  for (const t of terms) if (matchesTerm(t, node)) return true;
  return false;
}

/** nodeSelector and required node affinity together, as the NodeAffinity filter checks them. */
export function fitsNodeAffinity(spec: PodSpec, node: Node): boolean {
  const selector = spec.nodeSelector;
  if (selector) {
    const labels = node.metadata.labels ?? {};
    for (const k in selector) if (!Object.hasOwn(labels, k) || labels[k] !== selector[k]) return false;
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required ? matchesNodeSelectorTerms(required.nodeSelectorTerms ?? [], node) : true;
}

/**
 * The node names a pod is pinned to when every required term names nodes with
 * `matchFields metadata.name In [...]` (how DaemonSet pods are pinned); undefined otherwise.
 * Lets the scheduler look the nodes up instead of checking every node.
 */
export function pinnedNodeNames(spec: PodSpec): string[] | undefined {
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const t of terms) {
    const pin = t.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (!pin) return undefined;
    for (const n of pin.values ?? []) names.add(n);
  }
  return [...names];
}
