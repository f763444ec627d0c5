// Kubernetes objects as the API server serialises them (wire JSON), limited to the fields that
// matter for networking. Unknown fields are kept as they were written (objects are never
// re-shaped), so `get -o yaml` shows what the user wrote plus what the controllers filled.

import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from './types-apps.js';
import type { EndpointSlice, Endpoints } from './types-discovery.js';
import type { Ingress, IngressClass, NetworkPolicy } from './types-networking.js';
import type { AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy } from './types-policy.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type IntOrString = number | string;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

// --- core/v1 ---

export interface Namespace extends KubeObject {
  kind: 'Namespace';
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeAddress {
  type: 'InternalIP' | 'ExternalIP' | 'Hostname' | 'InternalDNS' | 'ExternalDNS';
  address: string;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface Node extends KubeObject {
  kind: 'Node';
  spec?: {
    podCIDR?: string;
    podCIDRs?: string[];
    taints?: Taint[];
    unschedulable?: boolean;
    providerID?: string;
  };
  status?: { addresses?: NodeAddress[]; conditions?: NodeCondition[]; [field: string]: unknown };
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: Protocol;
  hostPort?: number;
  hostIP?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  [field: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
  env?: EnvVar[];
  restartPolicy?: string;
  [field: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: Taint['effect'] | '';
  tolerationSeconds?: number;
}

export interface HostAlias {
  ip: string;
  hostnames?: string[];
}

export interface PodDNSConfig {
  nameservers?: string[];
  searches?: string[];
  options?: { name: string; value?: string }[];
}

export type DNSPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  hostNetwork?: boolean;
  hostname?: string;
  subdomain?: string;
  setHostnameAsFQDN?: boolean;
  dnsPolicy?: DNSPolicy;
  dnsConfig?: PodDNSConfig;
  enableServiceLinks?: boolean;
  hostAliases?: HostAlias[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  schedulerName?: string;
  [field: string]: unknown;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodStatus {
  phase?: PodPhase;
  conditions?: PodCondition[];
  podIP?: string;
  podIPs?: { ip: string }[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  reason?: string;
  message?: string;
  [field: string]: unknown;
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

export interface ServicePort {
  name?: string;
  protocol?: Protocol;
  appProtocol?: string;
  port: number;
  targetPort?: IntOrString;
  nodePort?: number;
}

export interface ServiceSpec {
  type?: ServiceType;
  selector?: Record<string, string>;
  ports?: ServicePort[];
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: ('IPv4' | 'IPv6')[];
  ipFamilyPolicy?: IPFamilyPolicy;
  externalName?: string;
  externalIPs?: string[];
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  loadBalancerClass?: string;
  allocateLoadBalancerNodePorts?: boolean;
  sessionAffinity?: 'None' | 'ClientIP';
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  externalTrafficPolicy?: 'Cluster' | 'Local';
  internalTrafficPolicy?: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  publishNotReadyAddresses?: boolean;
  trafficDistribution?: string;
  [field: string]: unknown;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ipMode?: 'VIP' | 'Proxy';
  ports?: { port: number; protocol: Protocol; error?: string }[];
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: ServiceSpec;
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] }; [field: string]: unknown };
}

export interface Secret extends KubeObject {
  kind: 'Secret';
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export * from './types-apps.js';
export * from './types-discovery.js';
export * from './types-networking.js';
export * from './types-policy.js';

/** The kinds podnet understands, with the API group/version each is served at. */
export const KINDS = {
  Namespace: { apiVersion: 'v1', namespaced: false, plural: 'namespaces' },
  Node: { apiVersion: 'v1', namespaced: false, plural: 'nodes' },
  Pod: { apiVersion: 'v1', namespaced: true, plural: 'pods' },
  Service: { apiVersion: 'v1', namespaced: true, plural: 'services' },
  Endpoints: { apiVersion: 'v1', namespaced: true, plural: 'endpoints' },
  Secret: { apiVersion: 'v1', namespaced: true, plural: 'secrets' },
  Deployment: { apiVersion: 'apps/v1', namespaced: true, plural: 'deployments' },
  ReplicaSet: { apiVersion: 'apps/v1', namespaced: true, plural: 'replicasets' },
  StatefulSet: { apiVersion: 'apps/v1', namespaced: true, plural: 'statefulsets' },
  DaemonSet: { apiVersion: 'apps/v1', namespaced: true, plural: 'daemonsets' },
  EndpointSlice: { apiVersion: 'discovery.k8s.io/v1', namespaced: true, plural: 'endpointslices' },
  Ingress: { apiVersion: 'networking.k8s.io/v1', namespaced: true, plural: 'ingresses' },
  IngressClass: { apiVersion: 'networking.k8s.io/v1', namespaced: false, plural: 'ingressclasses' },
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1', namespaced: true, plural: 'networkpolicies' },
  ClusterNetworkPolicy: {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    namespaced: false,
    plural: 'clusternetworkpolicies',
  },
  AdminNetworkPolicy: {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    namespaced: false,
    plural: 'adminnetworkpolicies',
  },
  BaselineAdminNetworkPolicy: {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    namespaced: false,
    plural: 'baselineadminnetworkpolicies',
  },
} as const;

export type Kind = keyof typeof KINDS;

export interface KindMap {
  Namespace: Namespace;
  Node: Node;
  Pod: Pod;
  Service: Service;
  Endpoints: Endpoints;
  Secret: Secret;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  StatefulSet: StatefulSet;
  DaemonSet: DaemonSet;
  EndpointSlice: EndpointSlice;
  Ingress: Ingress;
  IngressClass: IngressClass;
  NetworkPolicy: NetworkPolicy;
  ClusterNetworkPolicy: ClusterNetworkPolicy;
  AdminNetworkPolicy: AdminNetworkPolicy;
  BaselineAdminNetworkPolicy: BaselineAdminNetworkPolicy;
}

export function isKind(kind: string): kind is Kind {
  return Object.hasOwn(KINDS, kind);
}

/** `ns/name` for namespaced objects, `name` for cluster-scoped ones. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : obj.metadata.name;
}

/** `Kind/ns/name` (or `Kind/name`): how findings and errors name an object. */
export function objectRef(obj: KubeObject): string {
  return `${obj.kind}/${objectKey(obj)}`;
}
