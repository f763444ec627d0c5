// From objects as written to the cluster they would become: admission (type check, defaults,
// validation, as the API server does it), then the controllers run to a fixed point.

import { admit } from '../api/admission.js';
import type { ClusterConfig } from '../api/cluster-config.js';
import type { Diagnostic, Origin } from '../api/errors.js';
import { isKind, KINDS, type KubeObject, objectKey } from '../api/types.js';
import { collectingContext } from '../controllers/context.js';
import { converge } from '../controllers/index.js';
import { uidOf } from '../controllers/owner.js';
import { publishIngressStatus } from '../ingress/status.js';
import { Store } from '../store/store.js';

export interface LoadedObject {
  object: KubeObject;
  origin: Origin;
}

export interface BuildOptions {
  config: ClusterConfig;
  /** Compute from the valid objects only, reporting the invalid ones, instead of refusing. */
  skipInvalid?: boolean;
}

export interface ClusterSnapshot {
  store: Store;
  config: ClusterConfig;
  diagnostics: Diagnostic[];
  /** False when an input was invalid and nothing was computed (no `skipInvalid`). */
  ok: boolean;
}

function locate(origin: Origin, segments: (string | number)[]): number | undefined {
  return origin.lineOf?.(segments) ?? origin.line;
}

/** `Kind ns/name` of an input that may be malformed (no metadata, a name of the wrong type). */
function describeInput(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const { kind, metadata } = input as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  if (typeof kind !== 'string') return undefined;
  if (!name) return kind;
  const given =
    typeof metadata?.namespace === 'string' && metadata.namespace ? metadata.namespace : undefined;
  // A namespaced object without a namespace goes to `default`, as kubectl sends it.
  const ns = given ?? (isKind(kind) && KINDS[kind].namespaced ? 'default' : undefined);
  return `${kind} ${ns ? `${ns}/` : ''}${name}`;
}

/** `Kind/ns/name` -> uid, as the ownerReferences of the inputs name their owners. */
function referencedUIDs(inputs: LoadedObject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { object } of inputs) {
    const ns = object.metadata.namespace;
    for (const ref of object.metadata.ownerReferences ?? []) {
      if (!ref.uid || !isKind(ref.kind)) continue;
      const key = KINDS[ref.kind].namespaced ? `${ns}/${ref.name}` : ref.name;
      if (!out.has(`${ref.kind}/${key}`)) out.set(`${ref.kind}/${key}`, ref.uid);
    }
  }
  return out;
}

export function buildCluster(loaded: LoadedObject[], options: BuildOptions): ClusterSnapshot {
  const { config } = options;
  const diagnostics: Diagnostic[] = [];
  const admitted: LoadedObject[] = [];
  const seen = new Map<string, Origin>();
  let invalid = 0;

  for (const { object, origin } of loaded) {
    const result = admit(object, config);
    const name = describeInput(result.object ?? object);
    for (const w of result.warnings) {
      diagnostics.push({
        severity: 'warning',
        file: origin.file,
        line: locate(origin, w.path.segments()),
        object: name,
        field: w.path.toString(),
        message: w.message,
      });
    }
    if (result.errors.length > 0 || !result.object) {
      invalid++;
      for (const e of result.errors) {
        diagnostics.push({
          severity: 'error',
          file: origin.file,
          line: locate(origin, e.path.segments()),
          object: name,
          field: e.path.toString(),
          message: e.message,
        });
      }
      continue;
    }
    const obj = result.object;
    if (!isKind(obj.kind)) continue;
    const id = `${obj.kind}/${KINDS[obj.kind].namespaced ? objectKey(obj) : obj.metadata.name}`;
    const first = seen.get(id);
    if (first) {
      invalid++;
      // The API server refuses a second create of one name: `AlreadyExists`.
      diagnostics.push({
        severity: 'error',
        file: origin.file,
        line: origin.line,
        object: name,
        message: `AlreadyExists: ${KINDS[obj.kind].plural} "${obj.metadata.name}" already exists (first defined at ${first.file}${first.line ? `:${first.line}` : ''})`,
      });
      continue;
    }
    seen.set(id, origin);
    admitted.push({ object: obj, origin });
  }

  const store = new Store();
  if (invalid > 0 && !options.skipInvalid) return { store, config, diagnostics, ok: false };

  const referenced = referencedUIDs(admitted);
  for (const { object, origin } of admitted) {
    // The API server gives every object a uid at create. A trimmed export may have lost an
    // owner's uid while its children's ownerReferences still carry it: take that one, so the
    // owner keeps its children. Otherwise podnet derives one from the identity.
    object.metadata.uid ??= referenced.get(`${object.kind}/${objectKey(object)}`) ?? uidOf(object);
    store.put(object, origin);
  }
  const ctx = collectingContext(store, config);
  converge(ctx);
  // The ingress controller podnet plays publishes its address on the Ingresses it serves.
  publishIngressStatus(store);
  // Objects the controllers created have had their uid implicitly all along (uidOf derives it,
  // and owner references and targetRefs use it); write it down, as the API server would have.
  for (const kind of Object.keys(KINDS) as (keyof typeof KINDS)[]) {
    for (const obj of store.list(kind)) obj.metadata.uid ??= uidOf(obj);
  }
  diagnostics.push(...ctx.diagnostics);
  const failed = ctx.diagnostics.some((d) => d.severity === 'error');
  return { store, config, diagnostics, ok: !failed || options.skipInvalid === true };
}
