// Namespaces: the four every cluster starts with, the `kubernetes.io/metadata.name` label the
// API server sets, phase Active, and a namespace for every namespace that objects name but the
// manifests do not declare.

import { KINDS, type Kind, type Namespace } from '../../api/types.js';
import type { Controller, ControllerContext } from '../context.js';
import { deepEqual } from '../equal.js';
import { uidOf } from '../owner.js';

/** Created by the API server (default) and kubeadm (the rest) in every cluster. */
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

export const NAME_LABEL = 'kubernetes.io/metadata.name';

const NAMESPACED_KINDS = (Object.keys(KINDS) as Kind[]).filter((k) => KINDS[k].namespaced);

function newNamespace(name: string): Namespace {
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  ns.metadata.uid = uidOf(ns);
  fill(ns);
  return ns;
}

/** Fills what the API server and the namespace lifecycle give every namespace; true if changed. */
function fill(ns: Namespace): boolean {
  const before = { labels: ns.metadata.labels, spec: ns.spec, status: ns.status };
  const labels =
    ns.metadata.labels?.[NAME_LABEL] === ns.metadata.name
      ? ns.metadata.labels
      : { ...ns.metadata.labels, [NAME_LABEL]: ns.metadata.name };
  const spec = ns.spec?.finalizers ? ns.spec : { ...ns.spec, finalizers: ['kubernetes'] };
  // A snapshot's Terminating namespace keeps its phase.
  const status = ns.status?.phase ? ns.status : { ...ns.status, phase: 'Active' };
  if (deepEqual(before, { labels, spec, status })) return false;
  ns.metadata.labels = labels;
  ns.spec = spec;
  ns.status = status;
  return true;
}

export const namespaceController: Controller = {
  name: 'namespaces',
  reconcile(ctx: ControllerContext): void {
    const { store } = ctx;
    for (const name of BUILTIN_NAMESPACES) {
      if (!store.has('Namespace', undefined, name)) store.put(newNamespace(name));
    }
    for (const kind of NAMESPACED_KINDS) {
      for (const name of store.namespacesOf(kind)) {
        if (store.has('Namespace', undefined, name)) continue;
        // The API server would refuse these objects (namespaces "x" not found); podnet creates
        // the namespace so that a folder of manifests without Namespace objects still works.
        const first = store.list(kind, name)[0];
        ctx.warn(
          first,
          'metadata.namespace',
          `namespace "${name}" is not declared; podnet creates it (a cluster would refuse the object: namespaces "${name}" not found)`,
        );
        store.put(newNamespace(name));
      }
    }
    for (const ns of store.list('Namespace')) if (fill(ns)) store.put(ns);
  },
};
