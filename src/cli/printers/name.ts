// How kubectl names a kind and an object: `pod/web-1`, `deployment.apps/web`,
// `endpointslice.discovery.k8s.io/web-abcde` (`-o name`, and the NAME column when a table
// mixes kinds), and `deployments.apps` for the resource in a NotFound error.

import { KINDS, type Kind, type KubeObject } from '../../api/types.js';

/** The API group of a kind: `apps` for `apps/v1`, empty for the core group (`v1`). */
export function groupOf(kind: Kind): string {
  const apiVersion: string = KINDS[kind].apiVersion;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** schema.GroupKind, lower-cased as kubectl prints it: `pod`, `deployment.apps`. */
export function qualifiedKind(kind: Kind): string {
  const group = groupOf(kind);
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/** schema.GroupResource as the API server names it in errors: `pods`, `deployments.apps`. */
export function qualifiedResource(kind: Kind): string {
  const group = groupOf(kind);
  return group ? `${KINDS[kind].plural}.${group}` : KINDS[kind].plural;
}

/** `kind.group/name`. */
export function resourceName(obj: KubeObject): string {
  return `${qualifiedKind(obj.kind as Kind)}/${obj.metadata.name}`;
}

/** `-o name`: one `kind.group/name` per line. */
export function printNames(objects: readonly KubeObject[]): string {
  let out = '';
  for (const obj of objects) out += `${resourceName(obj)}\n`;
  return out;
}
