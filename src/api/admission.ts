// Admission: what kube-apiserver does to an object between the request and storage, in its
// order. (1) The served version: the kind must be asked for at the group/version podnet serves
// it. (2) Decoding: a structural type check with strict field validation; if it fails, nothing
// else runs, as a request that does not decode is never defaulted or validated. (3) Defaulting,
// on a checked deep copy (the caller's object is never touched). (4) Validation, whose errors
// refuse the object and whose warnings are returned beside it, as kubectl prints `Warning:`.

import type { ClusterConfig } from './cluster-config.js';
import { applyDefaults } from './defaults.js';
import type { FieldError } from './errors.js';
import { isKind, KINDS, type KubeObject } from './types.js';
import { checkTypes, Path, SCHEMAS, TextFieldError, validateObject } from './validation/index.js';

export interface Admission {
  /** The defaulted object, when it was admitted (no errors). */
  object?: KubeObject;
  errors: FieldError[];
  warnings: FieldError[];
}

function refuse(path: Path, text: string): Admission {
  return { errors: [new TextFieldError('Invalid value', path.toFieldPath(), text)], warnings: [] };
}

export function admit(input: KubeObject, config: ClusterConfig): Admission {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return refuse(Path.ROOT, 'an object must be a JSON object with apiVersion, kind and metadata');
  }
  const { kind, apiVersion } = input as { kind: unknown; apiVersion: unknown };
  if (typeof apiVersion !== 'string' || apiVersion === '')
    return refuse(Path.of('apiVersion'), 'apiVersion not set');
  if (typeof kind !== 'string' || !isKind(kind) || KINDS[kind].apiVersion !== apiVersion) {
    return refuse(
      Path.of('apiVersion'),
      `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`,
    );
  }

  const checked = checkTypes(input, SCHEMAS[kind], Path.ROOT);
  if (checked.errors.length > 0) return { errors: checked.errors, warnings: [] };
  const obj = checked.value as KubeObject;
  obj.metadata ??= {} as KubeObject['metadata'];
  if (KINDS[kind].namespaced) {
    // kubectl fills in the namespace of the context; podnet's context namespace is `default`.
    if (!obj.metadata.namespace) obj.metadata.namespace = 'default';
  } else {
    // The API server clears a namespace sent with a cluster-scoped object (rest.BeforeCreate).
    delete obj.metadata.namespace;
  }

  applyDefaults(obj);
  const { errors, warnings } = validateObject(obj, config);
  return errors.length > 0 ? { errors, warnings } : { object: obj, errors, warnings };
}
