// Pods made from a workload's pod template, as the workload controllers make them: the
// template's labels, annotations and spec, the owner's controller reference, and a name from the
// owner's name plus a generated suffix (generateName) or a fixed identity (StatefulSet).

import { defaultPod } from '../../api/defaults.js';
import { canonicalJSON, fnv1a32, nameSuffix, safeEncode, stableUID } from '../../api/hash.js';
import type { KubeObject, OwnerReference, Pod, PodSpec, PodTemplateSpec } from '../../api/types.js';
import type { Store } from '../../store/store.js';
import { controllerRef } from '../owner.js';

/**
 * The hash naming a template revision: FNV-32a of the template (and the collision count, when
 * a name was already taken), encoded as the pod-template-hash / controller-revision-hash labels
 * are (controller.ComputeHash + rand.SafeEncodeString). Canonical JSON stands in for Go's
 * deep-print of the struct, so values differ from a live cluster's while keeping what matters:
 * stable, and changing with the template.
 */
export function templateHash(template: PodTemplateSpec, collisionCount = 0): string {
  const text = canonicalJSON(template);
  return safeEncode(fnv1a32(collisionCount === 0 ? text : `${text}#${collisionCount}`));
}

// apiserver names.SimpleNameGenerator: a generateName prefix is cut to 63 - 5 characters so the
// name with its five-character suffix stays a valid label.
const MAX_GENERATE_NAME_PREFIX = 58;

export function generatedName(prefix: string, suffix: string): string {
  return (
    (prefix.length > MAX_GENERATE_NAME_PREFIX ? prefix.slice(0, MAX_GENERATE_NAME_PREFIX) : prefix) + suffix
  );
}

/**
 * Successive generateName-style pod names for one owner: `<prefix><5 chars>`, the suffix derived
 * from `seed` and a counter, skipping names the namespace already holds or this source gave out.
 */
export function podNameSource(store: Store, namespace: string, prefix: string, seed: string): () => string {
  const given = new Set<string>();
  let counter = 0;
  return () => {
    for (;;) {
      const name = generatedName(prefix, nameSuffix(`${seed}/${counter++}`));
      if (!given.has(name) && !store.has('Pod', namespace, name)) {
        given.add(name);
        return name;
      }
    }
  };
}

export interface PodIdentity {
  name: string;
  /** The generateName the owner used, recorded as the API server records it. */
  generateName?: string;
  /** Labels added to the template's (pod-template-hash, pod-name, ...). */
  labels?: Record<string, string>;
}

/**
 * Makes pods from one owner's template, as the API server stores them; the template is
 * serialised once and parsed per pod.
 */
export class PodFactory {
  private readonly specJSON: string;
  private readonly ownerRef: OwnerReference;

  constructor(
    private readonly owner: KubeObject,
    private readonly template: PodTemplateSpec,
  ) {
    this.specJSON = JSON.stringify(template.spec);
    this.ownerRef = controllerRef(owner);
  }

  make(id: PodIdentity, adjust?: (spec: PodSpec) => void): Pod {
    const namespace = this.owner.metadata.namespace as string;
    const meta = this.template.metadata ?? {};
    const labels = { ...(meta.labels ?? {}), ...(id.labels ?? {}) };
    const spec = JSON.parse(this.specJSON) as PodSpec;
    adjust?.(spec);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: id.name,
        ...(id.generateName ? { generateName: id.generateName } : {}),
        namespace,
        // The uid a pod of this identity gets (owner.ts uidOf), written so slices can cite it.
        uid: stableUID(`Pod/${namespace}/${id.name}`),
        labels,
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ownerReferences: [{ ...this.ownerRef }],
      },
      spec,
    };
    // The API server defaults what controllers create like any other pod (enableServiceLinks,
    // host ports of hostNetwork pods); templates were defaulted as templates.
    defaultPod(pod);
    return pod;
  }
}
