// kube-proxy semantics (nftables mode) as pure functions: the frontend table, and the route of one
// client's connection through a Service frontend (docs/services.md).

export { chooseEndpoint, DEFAULT_AFFINITY_TIMEOUT_SECONDS, sessionAffinity } from './affinity.js';
export { type ServiceEndpoint, serviceEndpoints } from './endpoints.js';
export { nodeInfo } from './nodes.js';
export {
  externallyAccessible,
  externalPolicyLocal,
  healthCheckNodePort,
  internalPolicyLocal,
  sourceRanges,
} from './policy.js';
export { routeService } from './route.js';
export { computeServiceTable } from './table.js';
export {
  type Categorized,
  clusterEndpoints,
  hasUsableEndpoints,
  localEndpoints,
  type TopologyMode,
  topologyMode,
} from './topology.js';
export type {
  EndpointCandidate,
  ExcludedEndpoint,
  ExclusionReason,
  Frontend,
  FrontendKind,
  Miss,
  NAT,
  NodeInfo,
  Selection,
  ServiceClient,
  ServiceRef,
  ServiceRoute,
  ServiceTable,
  SNATReason,
} from './types.js';
