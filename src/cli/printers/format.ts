// Cell formatters shared by the kubectl-style tables, each the TypeScript twin of a helper in
// kubernetes pkg/printers/internalversion/printers.go or k8s.io/apimachinery, so a table reads
// exactly as `kubectl get` prints the same object.

import type { Container, LabelSelector } from '../../api/types.js';

/** What every cell may depend on besides its object: the clock, for AGE. */
export interface PrintContext {
  /** Milliseconds since the epoch; the CLI reads the clock once, tests pin it. */
  readonly now: number;
  /** `-o wide`: some cells (load-balancer addresses) are clipped only in the narrow table. */
  readonly wide?: boolean;
}

// printers.go loadBalancerWidth: the narrow table clips address lists to this many characters.
const LOAD_BALANCER_WIDTH = 16;

/**
 * printers.go `loadBalancerStatusStringer` (and its Ingress twin): each ingress's IP, else its
 * hostname, deduplicated and sorted (a string set), clipped to 13 characters + `...` unless wide.
 */
export function loadBalancerAddresses(
  ingress: readonly { ip?: string; hostname?: string }[] | undefined,
  wide: boolean,
): string {
  const set = new Set((ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean));
  const joined = [...set].sort().join(',');
  return !wide && joined.length > LOAD_BALANCER_WIDTH
    ? `${joined.slice(0, LOAD_BALANCER_WIDTH - 3)}...`
    : joined;
}

/**
 * apimachinery `duration.HumanDuration`: about two significant figures (`45s`, `3m20s`, `5h`,
 * `3d4h`, `2y10d`). Up to one second in the future reads as `0s` (clock skew), beyond is invalid.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** printers.go `translateTimestampSince`: `<unknown>` for a missing or unreadable timestamp. */
export function since(timestamp: unknown, ctx: PrintContext): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(ctx.now - t);
}

/** apimachinery `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(byCodeUnit);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(labels as Record<string, string>)[k]}`).join(',');
}

/**
 * The string form of `metav1.LabelSelectorAsSelector(sel).String()`: matchLabels print as
 * `k=v`, expressions as `k in (a,b)`, `k notin (a)`, `k`, `!k`; requirements sorted by key,
 * values sorted. Unlike the shared `formatSelector`, a one-value `In` expression stays
 * `k in (v)`, as kubectl shows it. An empty selector is the empty string.
 */
export function selectorString(sel: LabelSelector | undefined): string {
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {}))
    parts.push({ key, text: `${key}=${value}` });
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...new Set(e.values ?? [])].sort(byCodeUnit).join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'Exists'
            ? e.key
            : `!${e.key}`;
    parts.push({ key: e.key, text });
  }
  // Stable, so two requirements on one key keep their written order.
  parts.sort((a, b) => byCodeUnit(a.key, b.key));
  return parts.map((p) => p.text).join(',');
}

/** `metav1.FormatLabelSelector`: the selector string, `<none>` when it selects everything. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  return selectorString(sel) || '<none>';
}

/** printers.go `layoutContainerCells`: container names and images, comma-joined, in order. */
export function containerCells(
  containers: readonly Container[] | undefined,
): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** A status counter as the Go struct would hold it: absent or malformed reads as 0. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A string field, absent reads as empty (Go's zero value). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Byte order for ASCII names, as the API server lists objects (etcd key order). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** printers.go `listWithMoreString`: the first few items, then `+ N more...`; `<unset>` if none. */
export function listWithMore(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown === '' ? '<unset>' : shown;
}
