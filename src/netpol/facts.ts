// What policy evaluation asks of the cluster, answered once and from indexes: namespace and node
// labels, which pods a predicate covers, and what a named port means on a destination pod.

import { type Labels, matches, type Selector } from '../api/labels.js';
import { namedContainerPort } from '../api/pod.js';
import type { Pod, Protocol } from '../api/types.js';
import type { Store } from '../store/store.js';
import type { PodPredicate } from './types.js';

export class ClusterFacts {
  private readonly namespaceLabelsByName = new Map<string, Labels>();
  private readonly nodeLabelsByName = new Map<string, Labels>();

  constructor(readonly store: Store) {
    for (const ns of store.list('Namespace'))
      this.namespaceLabelsByName.set(ns.metadata.name, ns.metadata.labels);
    for (const node of store.list('Node'))
      this.nodeLabelsByName.set(node.metadata.name, node.metadata.labels);
  }

  /** A namespace's labels; undefined for a namespace the cluster does not hold. */
  namespaceLabels(namespace: string): Labels {
    return this.namespaceLabelsByName.get(namespace);
  }

  nodeLabels(node: string): Labels {
    return this.nodeLabelsByName.get(node);
  }

  /** Whether a namespace is covered by a predicate's namespace part. */
  coversNamespace(predicate: PodPredicate, namespace: string): boolean {
    const ns = predicate.namespaces;
    if ('name' in ns) return ns.name === namespace;
    return this.namespaceLabelsByName.has(namespace) && matches(ns.selector, this.namespaceLabels(namespace));
  }

  /** Whether a pod-network pod is covered by a predicate. */
  coversPod(predicate: PodPredicate, pod: Pod): boolean {
    const namespace = pod.metadata.namespace ?? '';
    if (!this.coversNamespace(predicate, namespace)) return false;
    return predicate.pods === undefined || matches(predicate.pods, pod.metadata.labels);
  }

  coversNode(selector: Selector, node: string): boolean {
    return this.nodeLabelsByName.has(node) && matches(selector, this.nodeLabels(node));
  }

  /** The namespaces a predicate covers, in the store's order. */
  namespacesCovered(predicate: PodPredicate): string[] {
    const ns = predicate.namespaces;
    if ('name' in ns) return this.namespaceLabelsByName.has(ns.name) ? [ns.name] : [];
    const out: string[] = [];
    for (const [name, labels] of this.namespaceLabelsByName) if (matches(ns.selector, labels)) out.push(name);
    return out;
  }

  /**
   * The pods a predicate covers, from the store's label index (hostNetwork pods included:
   * callers that mean pod-network pods only filter them out).
   */
  podsCovered(predicate: PodPredicate): Pod[] {
    const out: Pod[] = [];
    for (const ns of this.namespacesCovered(predicate)) {
      if (predicate.pods === undefined) out.push(...this.store.list('Pod', ns));
      else out.push(...this.store.select('Pod', ns, predicate.pods));
    }
    return out;
  }

  /**
   * The port number a named port means on a destination pod for a protocol, as a Service's
   * named targetPort resolves (namedContainerPort); undefined when the pod declares no such port,
   * and then a rule naming it does not match the pod.
   */
  namedPort(pod: Pod, name: string, protocol: Protocol): number | undefined {
    return namedContainerPort(pod, name, protocol);
  }
}
