// The cluster's own objects: the `kubernetes` Service with the endpoints the API server keeps
// for itself (pkg/controlplane/reconcilers, EndpointsAdapter), and CoreDNS as kubeadm installs it
// in a kind cluster (cmd/kubeadm/app/phases/addons/dns). Each goes through admission like any
// manifest, so it is defaulted exactly as the API server would default it. An object of the same
// name given in the manifests wins and is never overwritten.

import { admit } from '../../api/admission.js';
import { type ClusterConfig, wellKnownServiceIP } from '../../api/cluster-config.js';
import type {
  Deployment,
  EndpointSlice,
  Endpoints,
  Kind,
  KubeObject,
  Node,
  Service,
} from '../../api/types.js';
import { formatIP, ipFamilyOf } from '../../ip/index.js';
import type { Controller, ControllerContext } from '../context.js';
import { internalIPs, isControlPlane } from './nodes.js';

/** The API server's secure port in a kind cluster: the `kubernetes` Service targets it. */
export const API_SERVER_PORT = 6443;
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';

function kubernetesService(config: ClusterConfig): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: formatIP(wellKnownServiceIP(config, 1)),
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: API_SERVER_PORT }],
      sessionAffinity: 'None',
    },
  };
}

/** The API server advertises the control-plane node's address (the first node's, failing one). */
function apiServerAddress(ctx: ControllerContext): string | undefined {
  const nodes = ctx.store.list('Node');
  const node: Node | undefined = nodes.find(isControlPlane) ?? nodes[0];
  const primary = ctx.config.ipFamilies[0];
  return node ? internalIPs(node).find((ip) => ipFamilyOf(ip) === primary) : undefined;
}

// The reconciler labels the Endpoints so the mirroring controller leaves them alone, and the
// slice with only the service name: no managed-by label, no owner reference.
function kubernetesEndpoints(address: string): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [
      { addresses: [{ ip: address }], ports: [{ name: 'https', port: API_SERVER_PORT, protocol: 'TCP' }] },
    ],
  };
}

function kubernetesEndpointSlice(address: string): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': 'kubernetes' },
    },
    addressType: ipFamilyOf(address) === 'IPv6' ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: 'https', port: API_SERVER_PORT, protocol: 'TCP' }],
  };
}

function kubeDNSService(config: ClusterConfig): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: {
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
        'kubernetes.io/name': 'CoreDNS',
      },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: formatIP(wellKnownServiceIP(config, 10)),
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
    },
  };
}

function coreDNSDeployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: {
                      matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }],
                    },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              args: ['-conf', '/etc/coredns/Corefile'],
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              livenessProbe: {
                httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
            },
          ],
          dnsPolicy: 'Default',
          volumes: [
            {
              name: 'config-volume',
              configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] },
            },
          ],
        },
      },
    },
  };
}

interface SystemObject {
  kind: Kind;
  namespace: string;
  name: string;
  /** Undefined while the object cannot be derived yet (no node to point the endpoints at). */
  build(ctx: ControllerContext): KubeObject | undefined;
}

/** In the order a cluster comes to hold them. */
const SYSTEM_OBJECTS: readonly SystemObject[] = [
  {
    kind: 'Service',
    namespace: 'default',
    name: 'kubernetes',
    build: (ctx) => kubernetesService(ctx.config),
  },
  {
    kind: 'Endpoints',
    namespace: 'default',
    name: 'kubernetes',
    build: (ctx) => {
      const address = apiServerAddress(ctx);
      return address ? kubernetesEndpoints(address) : undefined;
    },
  },
  {
    kind: 'EndpointSlice',
    namespace: 'default',
    name: 'kubernetes',
    build: (ctx) => {
      const address = apiServerAddress(ctx);
      return address ? kubernetesEndpointSlice(address) : undefined;
    },
  },
  { kind: 'Service', namespace: 'kube-system', name: 'kube-dns', build: (ctx) => kubeDNSService(ctx.config) },
  { kind: 'Deployment', namespace: 'kube-system', name: 'coredns', build: () => coreDNSDeployment() },
];

export const systemObjectsController: Controller = {
  name: 'system objects',
  reconcile(ctx: ControllerContext): void {
    for (const s of SYSTEM_OBJECTS) {
      // Created once; afterwards the object is the cluster's (or the user's, when given).
      if (ctx.store.has(s.kind, s.namespace, s.name)) continue;
      const obj = s.build(ctx);
      if (!obj) continue;
      const result = admit(obj, ctx.config);
      for (const e of result.errors) ctx.error(obj, undefined, e.message);
      if (result.errors.length === 0 && result.object) ctx.store.put(result.object);
    }
  },
};
