// Stable hashes for generated names and uids: compute paths never use Math.random, so the same
// manifests give the same cluster, byte for byte.

/** 32-bit FNV-1a over the UTF-16 code units of `s` (as the kube controllers use FNV for hashes). */
export function fnv1a32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// k8s.io/apimachinery/pkg/util/rand: the alphabet of generated name suffixes (no vowels, no
// look-alike characters, so suffixes never spell words).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A `length`-character suffix in the generateName alphabet, derived from `seed`. */
export function nameSuffix(seed: string, length = 5): string {
  let out = '';
  let h = fnv1a32(seed);
  let salt = 0;
  while (out.length < length) {
    out += ALPHANUMS[h % ALPHANUMS.length];
    h = Math.floor(h / ALPHANUMS.length);
    if (h < ALPHANUMS.length) h = fnv1a32(`${seed}#${++salt}`);
  }
  return out;
}

/**
 * Encodes a hash as the pod-template-hash label does (rand.SafeEncodeString of the decimal
 * digits of the hash): a short, DNS-safe string.
 */
export function safeEncode(hash: number): string {
  const digits = String(hash >>> 0);
  let out = '';
  for (let i = 0; i < digits.length; i++) out += ALPHANUMS[digits.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** A UUID-shaped uid derived from the object's identity (stable across runs). */
export function stableUID(identity: string): string {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const a = hex(fnv1a32(identity));
  const b = hex(fnv1a32(identity, 0x01234567));
  const c = hex(fnv1a32(identity, 0x89abcdef));
  const d = hex(fnv1a32(identity, 0x5bd1e995));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** A canonical JSON string (sorted keys) for hashing objects such as pod templates. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
