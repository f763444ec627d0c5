// The object store: every object of the cluster by kind and key, a resourceVersion per write,
// watch events, and a label index per kind and namespace so that selectors are answered by
// lookups, never by scanning every object.

import type { Origin } from '../api/errors.js';
import { EVERYTHING, matches, type Requirement, type Selector } from '../api/labels.js';
import { KINDS, type Kind, type KindMap, type KubeObject, objectKey } from '../api/types.js';

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };
export type Watcher = (event: WatchEvent) => void;

/** label key -> label value -> object keys, for one kind in one namespace. */
type LabelIndex = Map<string, Map<string, Set<string>>>;

interface Collection {
  objects: Map<string, KubeObject>;
  /** namespace ('' for cluster-scoped) -> object keys, in insertion order. */
  byNamespace: Map<string, Set<string>>;
  /** namespace -> label index. */
  labels: Map<string, LabelIndex>;
  /** The labels each object was indexed with (objects may be mutated in place before put). */
  indexedLabels: Map<string, Record<string, string> | undefined>;
}

const EMPTY: ReadonlySet<string> = new Set();

function sameLabels(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (a === b) return true;
  const ak = a ? Object.keys(a) : [];
  const bk = b ? Object.keys(b) : [];
  if (ak.length !== bk.length) return false;
  for (const k of ak)
    if (!b || !Object.hasOwn(b, k) || b[k] !== (a as Record<string, string>)[k]) return false;
  return true;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

export class Store {
  private readonly collections = new Map<Kind, Collection>();
  private readonly origins = new Map<string, Origin>();
  private readonly watchers = new Set<Watcher>();
  private revision = 0;

  get resourceVersion(): number {
    return this.revision;
  }

  private collection(kind: Kind): Collection {
    let c = this.collections.get(kind);
    if (!c) {
      c = { objects: new Map(), byNamespace: new Map(), labels: new Map(), indexedLabels: new Map() };
      this.collections.set(kind, c);
    }
    return c;
  }

  get<K extends Kind>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    const key = KINDS[kind].namespaced ? `${namespace}/${name}` : name;
    return this.collections.get(kind)?.objects.get(key) as KindMap[K] | undefined;
  }

  has(kind: Kind, namespace: string | undefined, name: string): boolean {
    return this.get(kind, namespace, name) !== undefined;
  }

  /** Objects of a kind, in one namespace or all; insertion order (callers sort for output). */
  list<K extends Kind>(kind: K, namespace?: string): KindMap[K][] {
    const c = this.collections.get(kind);
    if (!c) return [];
    if (namespace === undefined) return [...c.objects.values()] as KindMap[K][];
    const keys = c.byNamespace.get(namespace) ?? EMPTY;
    const out: KindMap[K][] = [];
    for (const k of keys) out.push(c.objects.get(k) as KindMap[K]);
    return out;
  }

  count(kind: Kind): number {
    return this.collections.get(kind)?.objects.size ?? 0;
  }

  /** Namespaces holding at least one object of `kind`. */
  namespacesOf(kind: Kind): string[] {
    const c = this.collections.get(kind);
    if (!c) return [];
    return [...c.byNamespace.entries()].filter(([, keys]) => keys.size > 0).map(([ns]) => ns);
  }

  /**
   * Objects of `kind` in `namespace` whose labels match `selector`, answered from the label
   * index: the positive requirements (In, Exists) narrow the candidates to the smallest
   * indexed set, and only those candidates are checked against the rest.
   */
  select<K extends Kind>(kind: K, namespace: string, selector: Selector): KindMap[K][] {
    const c = this.collections.get(kind);
    if (!c) return [];
    const index = c.labels.get(namespace);
    let candidates: Iterable<string> | undefined;
    let best = Number.POSITIVE_INFINITY;
    for (const r of selector.requirements) {
      if (r.operator !== 'In' && r.operator !== 'Exists') continue;
      const keys = this.lookup(index, r);
      if (keys.size < best) {
        best = keys.size;
        candidates = keys;
      }
      if (best === 0) return [];
    }
    if (selector === EVERYTHING || selector.requirements.length === 0) return this.list(kind, namespace);
    const out: KindMap[K][] = [];
    for (const key of candidates ?? c.byNamespace.get(namespace) ?? EMPTY) {
      const obj = c.objects.get(key) as KindMap[K];
      if (matches(selector, obj.metadata.labels)) out.push(obj);
    }
    return out;
  }

  private lookup(index: LabelIndex | undefined, r: Requirement): Set<string> {
    const byValue = index?.get(r.key);
    if (!byValue) return EMPTY as Set<string>;
    if (r.operator === 'In' && r.values.length === 1)
      return byValue.get(r.values[0]) ?? (EMPTY as Set<string>);
    const union = new Set<string>();
    for (const [value, keys] of byValue) {
      if (r.operator === 'Exists' || r.values.includes(value)) for (const k of keys) union.add(k);
    }
    return union;
  }

  /** Creates or replaces an object; bumps its resourceVersion and tells watchers. */
  put<T extends KubeObject>(obj: T, origin?: Origin): T {
    const kind = obj.kind as Kind;
    const c = this.collection(kind);
    const key = objectKey(obj);
    const existed = c.objects.has(key);
    // Most updates (status, IPs, nodeName) leave labels alone: keep the index entries then.
    const reindex = !existed || !sameLabels(c.indexedLabels.get(key), obj.metadata.labels);
    if (existed && reindex) this.unindex(c, key);
    obj.metadata.resourceVersion = String(++this.revision);
    c.objects.set(key, obj);
    if (reindex) this.index(c, key, obj);
    if (origin) this.origins.set(`${kind}/${key}`, origin);
    this.emit({ type: existed ? 'MODIFIED' : 'ADDED', object: obj });
    return obj;
  }

  delete(kind: Kind, namespace: string | undefined, name: string): KubeObject | undefined {
    const c = this.collections.get(kind);
    const key = KINDS[kind].namespaced ? `${namespace}/${name}` : name;
    const obj = c?.objects.get(key);
    if (!c || !obj) return undefined;
    this.unindex(c, key);
    c.byNamespace.get(obj.metadata.namespace ?? '')?.delete(key);
    c.objects.delete(key);
    this.origins.delete(`${kind}/${key}`);
    this.revision++;
    this.emit({ type: 'DELETED', object: obj });
    return obj;
  }

  /** Where an object was read from (manifests), if it was read rather than computed. */
  originOf(obj: KubeObject): Origin | undefined {
    return this.origins.get(`${obj.kind}/${objectKey(obj)}`);
  }

  watch(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private emit(event: WatchEvent): void {
    for (const w of this.watchers) w(event);
  }

  private index(c: Collection, key: string, obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    getOrCreate(c.byNamespace, ns, () => new Set<string>()).add(key);
    const labels = obj.metadata.labels;
    c.indexedLabels.set(key, labels ? { ...labels } : undefined);
    if (!labels) return;
    const index = getOrCreate(c.labels, ns, (): LabelIndex => new Map());
    for (const [k, v] of Object.entries(labels)) {
      const byValue = getOrCreate(index, k, () => new Map<string, Set<string>>());
      getOrCreate(byValue, v, () => new Set<string>()).add(key);
    }
  }

  private unindex(c: Collection, key: string): void {
    const old = c.objects.get(key);
    if (!old) return;
    const ns = old.metadata.namespace ?? '';
    const labels = c.indexedLabels.get(key);
    c.indexedLabels.delete(key);
    const index = c.labels.get(ns);
    if (!labels || !index) return;
    for (const [k, v] of Object.entries(labels)) {
      const byValue = index.get(k);
      const set = byValue?.get(v);
      set?.delete(key);
      if (set && set.size === 0) byValue?.delete(v);
      if (byValue && byValue.size === 0) index.delete(k);
    }
  }
}
