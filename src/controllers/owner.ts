// Owner references, as the controllers use them: a workload controls the objects it creates
// (`controller: true`), claims matching orphans (adoption) and leaves objects controlled by
// someone else alone (k8s.io/kubernetes/pkg/controller ControllerRefManager).

import { stableUID } from '../api/hash.js';
import type { Selector } from '../api/labels.js';
import { type KindMap, type KubeObject, type OwnerReference, objectKey, type Pod } from '../api/types.js';
import type { Store } from '../store/store.js';
import { isPodTerminal } from './workloads/pod-state.js';

/** `Kind/ns/name`: the identity stable uids are derived from. */
export function identity(obj: KubeObject): string {
  return `${obj.kind}/${objectKey(obj)}`;
}

/**
 * The object's uid: the one it carries (a snapshot of a live cluster), else one derived from its
 * identity, so owner references agree across runs without writing uids into objects.
 */
export function uidOf(obj: KubeObject): string {
  return obj.metadata.uid ?? stableUID(identity(obj));
}

/** The owner reference a controller puts on what it creates (metav1.NewControllerRef). */
export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: uidOf(owner),
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export type Claim = 'owned' | 'orphan' | 'foreign';

/**
 * Whether `owner` controls `obj`. Upstream compares uids; here they are compared only when both
 * sides carry one, because manifests usually omit uids while exported children keep theirs.
 */
export function claimOf(obj: KubeObject, owner: KubeObject): Claim {
  const ref = controllerOf(obj);
  if (!ref) return 'orphan';
  if (ref.kind !== owner.kind || ref.name !== owner.metadata.name) return 'foreign';
  if (ref.uid && owner.metadata.uid && ref.uid !== owner.metadata.uid) return 'foreign';
  return 'owned';
}

/** Adopts an orphan: adds the owner's controller reference (the caller writes the object). */
export function adopt(obj: KubeObject, owner: KubeObject): void {
  obj.metadata.ownerReferences = [...(obj.metadata.ownerReferences ?? []), controllerRef(owner)];
}

/**
 * The objects of `kind` that `owner` controls among those its selector selects, adopting the
 * orphans that are not being deleted (ControllerRefManager.ClaimPods / ClaimReplicaSets). An
 * object must also pass `member` when given (the StatefulSet's isMemberOf); an owned object
 * that no longer matches is released, as upstream releases it.
 */
export function claim<K extends 'Pod' | 'ReplicaSet'>(
  store: Store,
  kind: K,
  owner: KubeObject,
  selector: Selector,
  member: (obj: KindMap[K]) => boolean = () => true,
): KindMap[K][] {
  const out: KindMap[K][] = [];
  for (const obj of store.select(kind, owner.metadata.namespace as string, selector)) {
    const c = claimOf(obj, owner);
    if (c === 'foreign') continue;
    if (!member(obj)) {
      if (c === 'owned') {
        obj.metadata.ownerReferences = obj.metadata.ownerReferences?.filter((r) => !r.controller);
        store.put(obj);
      }
      continue;
    }
    if (c === 'orphan') {
      if (obj.metadata.deletionTimestamp || (obj.kind === 'Pod' && isPodTerminal(obj as Pod))) continue;
      adopt(obj, owner);
      store.put(obj);
    }
    out.push(obj);
  }
  return out;
}

/** The objects of `kind` selected by `selector` that `owner` already controls (no adoption). */
export function owned<K extends 'Pod' | 'ReplicaSet'>(
  store: Store,
  kind: K,
  owner: KubeObject,
  selector: Selector,
  member: (obj: KindMap[K]) => boolean = () => true,
): KindMap[K][] {
  return store
    .select(kind, owner.metadata.namespace as string, selector)
    .filter((o) => claimOf(o, owner) === 'owned' && member(o));
}
