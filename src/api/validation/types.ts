// Schema tables for every kind podnet admits (core/v1, apps/v1, discovery.k8s.io/v1,
// networking.k8s.io/v1 types.go, the policy.networking.k8s.io CRDs), top level included: `kubectl apply --validate=strict` refuses
// an unknown field anywhere in these.

import type { Kind } from '../types.js';
import {
  bool,
  bytes,
  dateTime,
  int32,
  intOrString,
  list,
  map,
  object,
  type Schema,
  str,
  struct,
} from './schema.js';
import {
  labelSelector,
  objectMeta,
  objectReference,
  podSpec,
  podStatus,
  podTemplateSpec,
} from './types-pod.js';

const top = (fields: Record<string, Schema>): Schema =>
  struct({ apiVersion: str, kind: str, metadata: objectMeta, ...fields });

const portStatus = struct({ port: int32, protocol: str, error: str });
const loadBalancerStatus = struct({
  ingress: list(struct({ ip: str, hostname: str, ipMode: str, ports: list(portStatus) })),
});

const servicePort = struct({
  name: str,
  protocol: str,
  appProtocol: str,
  port: int32,
  targetPort: intOrString,
  nodePort: int32,
});

const serviceSpec = struct({
  ports: list(servicePort),
  selector: map(str),
  clusterIP: str,
  clusterIPs: list(str),
  type: str,
  externalIPs: list(str),
  sessionAffinity: str,
  loadBalancerIP: str,
  loadBalancerSourceRanges: list(str),
  externalName: str,
  externalTrafficPolicy: str,
  healthCheckNodePort: int32,
  publishNotReadyAddresses: bool,
  sessionAffinityConfig: struct({ clientIP: struct({ timeoutSeconds: int32 }) }),
  ipFamilies: list(str),
  ipFamilyPolicy: str,
  allocateLoadBalancerNodePorts: bool,
  loadBalancerClass: str,
  internalTrafficPolicy: str,
  trafficDistribution: str,
});

const endpointAddress = struct({ ip: str, hostname: str, nodeName: str, targetRef: objectReference });

const endpointSubset = struct({
  addresses: list(endpointAddress),
  notReadyAddresses: list(endpointAddress),
  ports: list(struct({ name: str, port: int32, protocol: str, appProtocol: str })),
});

const endpoint = struct({
  addresses: list(str),
  conditions: struct({ ready: bool, serving: bool, terminating: bool }),
  hostname: str,
  targetRef: objectReference,
  deprecatedTopology: map(str),
  nodeName: str,
  zone: str,
  hints: struct({ forZones: list(struct({ name: str })), forNodes: list(struct({ name: str })) }),
});

const ingressBackend = struct({
  service: struct({ name: str, port: struct({ name: str, number: int32 }) }),
  resource: struct({ apiGroup: str, kind: str, name: str }),
});

const ingressSpec = struct({
  ingressClassName: str,
  defaultBackend: ingressBackend,
  tls: list(struct({ hosts: list(str), secretName: str })),
  rules: list(
    struct({
      host: str,
      http: struct({ paths: list(struct({ path: str, pathType: str, backend: ingressBackend })) }),
    }),
  ),
});

const networkPolicyPeer = struct({
  podSelector: labelSelector,
  namespaceSelector: labelSelector,
  ipBlock: struct({ cidr: str, except: list(str) }),
});
const networkPolicyPort = struct({ protocol: str, port: intOrString, endPort: int32 });

const networkPolicySpec = struct({
  podSelector: labelSelector,
  ingress: list(struct({ ports: list(networkPolicyPort), from: list(networkPolicyPeer) })),
  egress: list(struct({ ports: list(networkPolicyPort), to: list(networkPolicyPeer) })),
  policyTypes: list(str),
});

const nodeSpec = struct({
  podCIDR: str,
  podCIDRs: list(str),
  providerID: str,
  unschedulable: bool,
  taints: list(struct({ key: str, value: str, effect: str, timeAdded: dateTime })),
  configSource: object,
  externalID: str,
});

const nodeStatus = struct({
  capacity: object,
  allocatable: object,
  phase: str,
  conditions: list(object),
  addresses: list(struct({ type: str, address: str })),
  daemonEndpoints: object,
  nodeInfo: object,
  images: list(object),
  volumesInUse: list(str),
  volumesAttached: list(object),
  config: object,
  runtimeHandlers: list(object),
  features: object,
  declaredFeatures: list(str),
});

const rollingUpdate = struct({ maxUnavailable: intOrString, maxSurge: intOrString });

const deploymentSpec = struct({
  replicas: int32,
  selector: labelSelector,
  template: podTemplateSpec,
  strategy: struct({ type: str, rollingUpdate }),
  minReadySeconds: int32,
  revisionHistoryLimit: int32,
  paused: bool,
  progressDeadlineSeconds: int32,
});

const replicaSetSpec = struct({
  replicas: int32,
  minReadySeconds: int32,
  selector: labelSelector,
  template: podTemplateSpec,
});

const statefulSetSpec = struct({
  replicas: int32,
  selector: labelSelector,
  template: podTemplateSpec,
  volumeClaimTemplates: list(object),
  serviceName: str,
  podManagementPolicy: str,
  updateStrategy: struct({
    type: str,
    rollingUpdate: struct({ partition: int32, maxUnavailable: intOrString }),
  }),
  revisionHistoryLimit: int32,
  minReadySeconds: int32,
  persistentVolumeClaimRetentionPolicy: struct({ whenDeleted: str, whenScaled: str }),
  ordinals: struct({ start: int32 }),
});

const daemonSetSpec = struct({
  selector: labelSelector,
  template: podTemplateSpec,
  updateStrategy: struct({ type: str, rollingUpdate }),
  minReadySeconds: int32,
  revisionHistoryLimit: int32,
});

// policy.networking.k8s.io (kubernetes-sigs/network-policy-api apis/v1alpha2 and apis/v1alpha1,
// experimental channel: the standard channel's fields plus nodes, domainNames and named ports).
const namespacedPod = struct({ namespaceSelector: labelSelector, podSelector: labelSelector });
const policySubject = struct({ namespaces: labelSelector, pods: namespacedPod });
const policyIngressPeer = struct({ namespaces: labelSelector, pods: namespacedPod });
const policyEgressPeer = struct({
  namespaces: labelSelector,
  pods: namespacedPod,
  nodes: labelSelector,
  networks: list(str),
  domainNames: list(str),
});
const policyStatus = struct({ conditions: list(object) });

const cnpPort = struct({ number: int32, range: struct({ start: int32, end: int32 }) });
const cnpProtocol = struct({
  tcp: struct({ destinationPort: cnpPort }),
  udp: struct({ destinationPort: cnpPort }),
  sctp: struct({ destinationPort: cnpPort }),
  destinationNamedPort: str,
});
const clusterNetworkPolicySpec = struct({
  tier: str,
  priority: int32,
  subject: policySubject,
  ingress: list(
    struct({ name: str, action: str, from: list(policyIngressPeer), protocols: list(cnpProtocol) }),
  ),
  egress: list(struct({ name: str, action: str, to: list(policyEgressPeer), protocols: list(cnpProtocol) })),
});

const anpPort = struct({
  portNumber: struct({ protocol: str, port: int32 }),
  namedPort: str,
  portRange: struct({ protocol: str, start: int32, end: int32 }),
});
const anpIngress = list(
  struct({ name: str, action: str, from: list(policyIngressPeer), ports: list(anpPort) }),
);
const anpEgress = list(struct({ name: str, action: str, to: list(policyEgressPeer), ports: list(anpPort) }));
// The BaselineAdminNetworkPolicy's egress peers have no domainNames.
const banpEgressPeer = struct({
  namespaces: labelSelector,
  pods: namespacedPod,
  nodes: labelSelector,
  networks: list(str),
});
const banpEgress = list(struct({ name: str, action: str, to: list(banpEgressPeer), ports: list(anpPort) }));

/** The whole-object schema of each kind. Workload statuses are controller output, kept as is. */
export const SCHEMAS: Readonly<Record<Kind, Schema>> = {
  Namespace: top({
    spec: struct({ finalizers: list(str) }),
    status: struct({ phase: str, conditions: list(object) }),
  }),
  Node: top({ spec: nodeSpec, status: nodeStatus }),
  Pod: top({ spec: podSpec, status: podStatus }),
  Service: top({
    spec: serviceSpec,
    status: struct({ loadBalancer: loadBalancerStatus, conditions: list(object) }),
  }),
  Endpoints: top({ subsets: list(endpointSubset) }),
  Secret: top({ data: map(bytes), stringData: map(str), type: str, immutable: bool }),
  Deployment: top({ spec: deploymentSpec, status: object }),
  ReplicaSet: top({ spec: replicaSetSpec, status: object }),
  StatefulSet: top({ spec: statefulSetSpec, status: object }),
  DaemonSet: top({ spec: daemonSetSpec, status: object }),
  EndpointSlice: top({
    addressType: str,
    endpoints: list(endpoint),
    ports: list(struct({ name: str, protocol: str, port: int32, appProtocol: str })),
  }),
  Ingress: top({ spec: ingressSpec, status: struct({ loadBalancer: loadBalancerStatus }) }),
  IngressClass: top({
    spec: struct({
      controller: str,
      parameters: struct({ apiGroup: str, kind: str, name: str, scope: str, namespace: str }),
    }),
  }),
  NetworkPolicy: top({ spec: networkPolicySpec }),
  ClusterNetworkPolicy: top({ spec: clusterNetworkPolicySpec, status: policyStatus }),
  AdminNetworkPolicy: top({
    spec: struct({ priority: int32, subject: policySubject, ingress: anpIngress, egress: anpEgress }),
    status: policyStatus,
  }),
  BaselineAdminNetworkPolicy: top({
    spec: struct({ subject: policySubject, ingress: anpIngress, egress: banpEgress }),
    status: policyStatus,
  }),
};
