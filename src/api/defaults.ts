// Defaulting, as kube-apiserver applies it on create (pkg/apis/core/v1/defaults.go,
// apps/v1/defaults.go, networking/v1/defaults.go, discovery/v1/defaults.go), plus the two
// normalisations every object gets on its way in: the v1 conversion's pairing of singular and
// plural fields (podIP/podIPs, hostIP/hostIPs, podCIDR/podCIDRs, Secret stringData) and the
// Service registry's mirroring of clusterIP into clusterIPs.
//
// Everything here mutates the object it is given: admission hands it a checked deep copy.

import type {
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy,
  ContainerPort,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  IngressClass,
  KubeObject,
  Namespace,
  NetworkPolicy,
  Node,
  Pod,
  PodSpec,
  Secret,
  Service,
  StatefulSet,
} from './types.js';

type Obj = Record<string, unknown>;

/** The child object at `key`, created empty when absent. */
function ensure(parent: Obj, key: string): Obj {
  if (parent[key] === undefined) parent[key] = {};
  return parent[key] as Obj;
}

function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === '') target[key] = value;
}

/** The tag the kubelet would pull: an untagged, undigested image means `latest`. */
function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return at >= 0 || image === '' ? '' : 'latest';
}

function defaultContainers(list: unknown, hostNetworkPorts: boolean): void {
  if (!Array.isArray(list)) return;
  for (const c of list as Obj[]) {
    if (!c.imagePullPolicy)
      c.imagePullPolicy = imageTag(String(c.image ?? '')) === 'latest' ? 'Always' : 'IfNotPresent';
    setDefault(c, 'terminationMessagePath', '/dev/termination-log');
    setDefault(c, 'terminationMessagePolicy', 'File');
    for (const port of (c.ports as ContainerPort[] | undefined) ?? []) {
      setDefault(port as unknown as unknown as Obj, 'protocol', 'TCP');
      // A hostNetwork pod listens on the node itself: its ports are host ports.
      if (hostNetworkPorts && !port.hostPort) port.hostPort = port.containerPort;
    }
  }
}

/** SetDefaults_PodSpec and the container defaults: for pods and pod templates alike. */
export function defaultPodSpec(spec: PodSpec): void {
  const s = spec as Obj;
  setDefault(s, 'dnsPolicy', 'ClusterFirst');
  setDefault(s, 'restartPolicy', 'Always');
  if (s.securityContext === undefined) s.securityContext = {};
  if (s.terminationGracePeriodSeconds === undefined) s.terminationGracePeriodSeconds = 30;
  setDefault(s, 'schedulerName', 'default-scheduler');
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'])
    defaultContainers(s[field], false);
}

/** The pairing the v1 conversion makes: the singular value wins and the list starts with it. */
function pairIPs(status: Obj, single: string, plural: string): void {
  const one = status[single] as string | undefined;
  const many = status[plural] as { ip: string }[] | undefined;
  if (one && (!many?.length || many[0].ip !== one)) status[plural] = [{ ip: one }];
  else if (!one && many?.length) status[single] = many[0].ip;
}

/**
 * SetDefaults_Pod on top of the pod spec defaults: only Pods, never templates, get service
 * links and hostNetwork host ports (DefaultHostNetworkHostPortsInPodTemplates is off). Workload
 * controllers call this for the pods they create, as the API server defaults those on create.
 */
export function defaultPod(pod: Pod): void {
  const spec = ensure(pod as Obj, 'spec') as PodSpec;
  defaultPodSpec(spec);
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.hostNetwork) {
    defaultContainers(spec.containers, true);
    defaultContainers(spec.initContainers, true);
  }
  if (pod.status) {
    pairIPs(pod.status as Obj, 'podIP', 'podIPs');
    pairIPs(pod.status as Obj, 'hostIP', 'hostIPs');
  }
  // The pod registry's PrepareForCreate: a new pod starts Pending until a kubelet reports on it.
  // (Upstream resets any status at create; podnet keeps a snapshot's, as DESIGN.md asks.)
  pod.status ??= { phase: 'Pending' };
}

function defaultTemplate(spec: Obj): void {
  const template = ensure(spec, 'template');
  defaultPodSpec(ensure(template, 'spec') as PodSpec);
}

function defaultService(svc: Service): void {
  const spec = ensure(svc as Obj, 'spec') as Service['spec'];
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (
    spec.sessionAffinity === 'ClientIP' &&
    spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined
  ) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  setDefault(spec, 'type', 'ClusterIP');
  for (const port of spec.ports ?? []) {
    setDefault(port as unknown as Obj, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '')
      port.targetPort = port.port;
  }
  const externallyAccessible =
    spec.type === 'NodePort' ||
    spec.type === 'LoadBalancer' ||
    (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
  if (externallyAccessible) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.internalTrafficPolicy === undefined && spec.type !== 'ExternalName')
    spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
    for (const ing of svc.status?.loadBalancer?.ingress ?? [])
      if (ing.ip && ing.ipMode === undefined) ing.ipMode = 'VIP';
  }
  // The registry (NormalizeClusterIPs) on create: a client that sets only clusterIP means it.
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
}

function defaultNetworkPolicy(np: NetworkPolicy): void {
  const spec = ensure(np as Obj, 'spec') as NetworkPolicy['spec'];
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const port of rule.ports ?? []) setDefault(port as unknown as Obj, 'protocol', 'TCP');
  }
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

function defaultDeployment(d: Deployment): void {
  const spec = ensure(d as Obj, 'spec');
  if (spec.replicas === undefined) spec.replicas = 1;
  const strategy = ensure(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    if (ru.maxUnavailable === undefined) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined) ru.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined) spec.progressDeadlineSeconds = 600;
  defaultTemplate(spec);
}

function defaultStatefulSet(sts: StatefulSet): void {
  const spec = ensure(sts as Obj, 'spec');
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensure(spec, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    ensure(strategy, 'rollingUpdate');
  }
  const ru = strategy.rollingUpdate as Obj | undefined;
  if (strategy.type === 'RollingUpdate' && ru && ru.partition === undefined) ru.partition = 0;
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  if (spec.replicas === undefined) spec.replicas = 1;
  if (spec.revisionHistoryLimit === undefined) spec.revisionHistoryLimit = 10;
  defaultTemplate(spec);
}

function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ensure(ds as Obj, 'spec');
  const strategy = ensure(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    if (ru.maxUnavailable === undefined) ru.maxUnavailable = 1;
    if (ru.maxSurge === undefined) ru.maxSurge = 0;
  }
  if (spec.revisionHistoryLimit === undefined) spec.revisionHistoryLimit = 10;
  defaultTemplate(spec);
}

function defaultNode(node: Node): void {
  const spec = node.spec as Obj | undefined;
  if (!spec) return;
  const one = spec.podCIDR as string | undefined;
  const many = spec.podCIDRs as string[] | undefined;
  if (one && (!many?.length || many[0] !== one)) spec.podCIDRs = [one];
  else if (!one && many?.length) spec.podCIDR = many[0];
}

function defaultSecret(secret: Secret): void {
  setDefault(secret as Obj, 'type', 'Opaque');
  // stringData is write-only: the conversion merges it into data, where it wins.
  if (secret.stringData) {
    const data = ensure(secret as Obj, 'data') as Record<string, string>;
    for (const k of Object.keys(secret.stringData)) {
      Object.defineProperty(data, k, {
        value: Buffer.from(secret.stringData[k], 'utf8').toString('base64'),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    delete secret.stringData;
  }
}

/** The v1alpha1 CRDs' only defaults: `protocol: TCP` on portNumber and portRange entries. */
function defaultAdminNetworkPolicyPorts(policy: AdminNetworkPolicy | BaselineAdminNetworkPolicy): void {
  for (const rule of [...(policy.spec?.ingress ?? []), ...(policy.spec?.egress ?? [])]) {
    for (const port of rule.ports ?? []) {
      if (port.portNumber) port.portNumber.protocol ??= 'TCP';
      if (port.portRange) port.portRange.protocol ??= 'TCP';
    }
  }
}

/** Applies the API server's defaults to an admitted (type-checked, copied) object. */
export function applyDefaults(obj: KubeObject): void {
  switch (obj.kind) {
    case 'Namespace': {
      const ns = obj as Namespace;
      // The API server labels every namespace with its own name, for namespaceSelectors.
      if (ns.metadata.name)
        ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name };
      setDefault(ensure(ns as Obj, 'status'), 'phase', 'Active');
      break;
    }
    case 'Pod':
      defaultPod(obj as Pod);
      break;
    case 'Service':
      defaultService(obj as Service);
      break;
    case 'Endpoints':
      for (const ss of (obj as Endpoints).subsets ?? [])
        for (const port of ss.ports ?? []) setDefault(port as unknown as Obj, 'protocol', 'TCP');
      break;
    case 'EndpointSlice':
      for (const port of (obj as EndpointSlice).ports ?? []) {
        if (port.name === undefined) port.name = '';
        if (port.protocol === undefined) port.protocol = 'TCP';
      }
      break;
    case 'NetworkPolicy':
      defaultNetworkPolicy(obj as NetworkPolicy);
      break;
    case 'IngressClass': {
      const params = (obj as IngressClass).spec?.parameters;
      if (params && params.scope === undefined) params.scope = 'Cluster';
      break;
    }
    case 'Secret':
      defaultSecret(obj as Secret);
      break;
    case 'Node':
      defaultNode(obj as Node);
      break;
    case 'Deployment':
      defaultDeployment(obj as Deployment);
      break;
    case 'ReplicaSet': {
      const spec = ensure(obj as Obj, 'spec');
      if (spec.replicas === undefined) spec.replicas = 1;
      defaultTemplate(spec);
      break;
    }
    case 'StatefulSet':
      defaultStatefulSet(obj as StatefulSet);
      break;
    case 'DaemonSet':
      defaultDaemonSet(obj as DaemonSet);
      break;
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
      defaultAdminNetworkPolicyPorts(obj as AdminNetworkPolicy | BaselineAdminNetworkPolicy);
      break;
  }
}
