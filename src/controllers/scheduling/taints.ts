// Taints and tolerations (k8s.io/api/core/v1 Toleration.ToleratesTaint and
// component-helpers FindMatchingUntoleratedTaint), shared by the scheduler, the kubelet's
// admission and the DaemonSet controller.

import type { Taint, Toleration } from '../../api/types.js';

/** Does one toleration tolerate one taint? An empty key with Exists tolerates every taint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint passing `effects` that no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  effects: (effect: Taint['effect']) => boolean,
): Taint | undefined {
  if (!taints) return undefined;
  for (const taint of taints) if (effects(taint.effect) && !tolerates(tolerations, taint)) return taint;
  return undefined;
}

/** The effects that keep a pod off a node: the scheduler's TaintToleration filter. */
export const blocksScheduling = (effect: Taint['effect']): boolean =>
  effect === 'NoSchedule' || effect === 'NoExecute';

/** The effect that evicts a running pod: the kubelet's admission and a DaemonSet's "keep running". */
export const evicts = (effect: Taint['effect']): boolean => effect === 'NoExecute';

/** The scheduler's rendering of an untolerated taint: `{key: value}`. */
export function formatTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}

/**
 * Adds a toleration unless an equal one (same key, operator, value and effect) exists
 * (v1helper.AddOrUpdateTolerationInPodSpec). Returns the new list.
 */
export function withToleration(list: readonly Toleration[] | undefined, t: Toleration): Toleration[] {
  const out = [...(list ?? [])];
  const same = (o: Toleration) =>
    (o.key ?? '') === (t.key ?? '') &&
    (o.operator ?? 'Equal') === (t.operator ?? 'Equal') &&
    (o.value ?? '') === (t.value ?? '') &&
    (o.effect ?? '') === (t.effect ?? '');
  const i = out.findIndex(same);
  if (i < 0) out.push(t);
  else out[i] = t;
  return out;
}
