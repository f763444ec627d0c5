// Schema tables for ObjectMeta, label selectors and the Pod (kubernetes/api core/v1 types.go,
// meta/v1 types.go). PodSpec and Container list every upstream field, so real manifests with
// volumes, probes, resources and security contexts pass while a typo is an unknown field; the
// fields podnet does not model are checked only for their JSON type.

import { bool, dateTime, extend, int32, int64, list, map, object, str, struct } from './schema.js';

export const ownerReference = struct({
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool,
});

export const objectMeta = struct({
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int64,
  creationTimestamp: dateTime,
  deletionTimestamp: dateTime,
  deletionGracePeriodSeconds: int64,
  labels: map(str),
  annotations: map(str),
  ownerReferences: list(ownerReference),
  finalizers: list(str),
  managedFields: list(object),
});

export const labelSelector = struct({
  matchLabels: map(str),
  matchExpressions: list(struct({ key: str, operator: str, values: list(str) })),
});

export const objectReference = struct({
  kind: str,
  namespace: str,
  name: str,
  uid: str,
  apiVersion: str,
  resourceVersion: str,
  fieldPath: str,
});

const containerPort = struct({
  name: str,
  hostPort: int32,
  containerPort: int32,
  protocol: str,
  hostIP: str,
});

const envVar = struct({ name: str, value: str, valueFrom: object });

export const container = struct({
  name: str,
  image: str,
  command: list(str),
  args: list(str),
  workingDir: str,
  ports: list(containerPort),
  envFrom: list(object),
  env: list(envVar),
  resources: object,
  resizePolicy: list(object),
  restartPolicy: str,
  restartPolicyRules: list(object),
  volumeMounts: list(object),
  volumeDevices: list(object),
  livenessProbe: object,
  readinessProbe: object,
  startupProbe: object,
  lifecycle: object,
  terminationMessagePath: str,
  terminationMessagePolicy: str,
  imagePullPolicy: str,
  securityContext: object,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
});

const ephemeralContainer = extend(container, { targetContainerName: str });

const nodeSelectorRequirement = struct({ key: str, operator: str, values: list(str) });
export const nodeSelector = struct({
  nodeSelectorTerms: list(
    struct({ matchExpressions: list(nodeSelectorRequirement), matchFields: list(nodeSelectorRequirement) }),
  ),
});

const affinity = struct({
  nodeAffinity: struct({
    requiredDuringSchedulingIgnoredDuringExecution: nodeSelector,
    preferredDuringSchedulingIgnoredDuringExecution: list(object),
  }),
  podAffinity: object,
  podAntiAffinity: object,
});

const toleration = struct({ key: str, operator: str, value: str, effect: str, tolerationSeconds: int64 });

const podDNSConfig = struct({
  nameservers: list(str),
  searches: list(str),
  options: list(struct({ name: str, value: str })),
});

export const podSpec = struct({
  volumes: list(object),
  initContainers: list(container),
  containers: list(container),
  ephemeralContainers: list(ephemeralContainer),
  restartPolicy: str,
  terminationGracePeriodSeconds: int64,
  activeDeadlineSeconds: int64,
  dnsPolicy: str,
  nodeSelector: map(str),
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: object,
  imagePullSecrets: list(object),
  hostname: str,
  subdomain: str,
  affinity,
  schedulerName: str,
  tolerations: list(toleration),
  hostAliases: list(struct({ ip: str, hostnames: list(str) })),
  priorityClassName: str,
  priority: int32,
  dnsConfig: podDNSConfig,
  readinessGates: list(object),
  runtimeClassName: str,
  enableServiceLinks: bool,
  preemptionPolicy: str,
  overhead: object,
  topologySpreadConstraints: list(object),
  setHostnameAsFQDN: bool,
  os: object,
  hostUsers: bool,
  schedulingGates: list(object),
  resourceClaims: list(object),
  resources: object,
  hostnameOverride: str,
  workloadRef: object,
});

const podIP = struct({ ip: str });

export const podStatus = struct({
  observedGeneration: int64,
  phase: str,
  conditions: list(
    struct({
      type: str,
      observedGeneration: int64,
      status: str,
      lastProbeTime: dateTime,
      lastTransitionTime: dateTime,
      reason: str,
      message: str,
    }),
  ),
  message: str,
  reason: str,
  nominatedNodeName: str,
  hostIP: str,
  hostIPs: list(podIP),
  podIP: str,
  podIPs: list(podIP),
  startTime: dateTime,
  initContainerStatuses: list(object),
  containerStatuses: list(object),
  qosClass: str,
  ephemeralContainerStatuses: list(object),
  resize: str,
  resourceClaimStatuses: list(object),
  extendedResourceClaimStatus: object,
  allocatedResources: object,
  resources: object,
});

export const podTemplateSpec = struct({ metadata: objectMeta, spec: podSpec });
