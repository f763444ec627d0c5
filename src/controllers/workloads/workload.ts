// What the workload controllers share: counting the pods they own and writing a status only when
// it changed.

import { isPodReady } from '../../api/pod.js';
import type { KubeObject, Pod } from '../../api/types.js';
import type { Store } from '../../store/store.js';
import { deepEqual } from '../equal.js';
import { isPodActive } from './pod-state.js';

export interface PodCounts {
  /** Active pods (not terminal, not being deleted). */
  replicas: number;
  /** Active pods carrying every label of the template. */
  fullyLabeled: number;
  ready: number;
  /**
   * Ready pods count as available: the computed cluster is a settled one, so minReadySeconds
   * has passed for every ready pod.
   */
  available: number;
}

export function countPods(
  pods: readonly Pod[],
  templateLabels: Readonly<Record<string, string>> = {},
): PodCounts {
  const counts: PodCounts = { replicas: 0, fullyLabeled: 0, ready: 0, available: 0 };
  const wanted = Object.entries(templateLabels);
  for (const pod of pods) {
    if (!isPodActive(pod)) continue;
    counts.replicas++;
    const labels = pod.metadata.labels ?? {};
    if (wanted.every(([k, v]) => labels[k] === v)) counts.fullyLabeled++;
    if (isPodReady(pod)) {
      counts.ready++;
      counts.available++;
    }
  }
  return counts;
}

/**
 * A status object as the API serialises it: `omitempty` fields that are zero are left out,
 * the fields in `always` are kept.
 */
export function serialisedStatus(
  fields: Record<string, number | string | undefined>,
  always: readonly string[] = [],
): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if ((v === 0 || v === '') && !always.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Replaces the object's status and writes it, when it differs; true if written. */
export function writeStatus(
  store: Store,
  obj: KubeObject & { status?: unknown },
  status: Record<string, unknown>,
): boolean {
  if (deepEqual(obj.status, status)) return false;
  obj.status = status;
  store.put(obj);
  return true;
}

/** `status.observedGeneration`, present when the object carries a generation. */
export function observedGeneration(obj: KubeObject): number | undefined {
  return typeof obj.metadata.generation === 'number' ? obj.metadata.generation : undefined;
}
