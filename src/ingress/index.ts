// The Ingress routing table (docs/ingress.md): pure compute from a snapshot of objects.

export { DEFAULT_CLASS_ANNOTATION, LEGACY_CLASS_ANNOTATION } from './classes.js';
export { publishIngressStatus } from './status.js';
export { computeIngressTable } from './table.js';
export type {
  IgnoredIngress,
  IngressBackendRef,
  IngressConflict,
  IngressLocation,
  IngressRequest,
  IngressRoute,
  IngressServer,
  IngressServerTLS,
  IngressTable,
  IngressTableOptions,
  PathType,
} from './types.js';
