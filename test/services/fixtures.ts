// Fixtures for the Service routing tests: admitted-looking Services, Nodes and EndpointSlices
// written out in full, so each test states exactly the conditions, hints and ports kube-proxy
// reads. Three nodes in two zones: n1 (zone-a, 172.18.0.2), n2 (zone-a, 172.18.0.3), n3 (zone-b,
// 172.18.0.4), each also with an IPv6 InternalIP.

import { defaultClusterConfig, dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { Endpoint, EndpointSlice, KubeObject, Node, Service, ServicePort } from '../../src/api/types.js';
import { type IP, parseIP } from '../../src/ip/index.js';
import { computeServiceTable } from '../../src/services/table.js';
import type { Frontend, ServiceClient, ServiceTable } from '../../src/services/types.js';
import { Store } from '../../src/store/store.js';

export const config = dualStackClusterConfig();
export const v4config = defaultClusterConfig();

export function ip(s: string): IP {
  const parsed = parseIP(s);
  if (!parsed) throw new Error(`bad test address ${s}`);
  return parsed;
}

export const NODES = {
  n1: { v4: '172.18.0.2', v6: 'fc00:f853:ccd:e793::2', zone: 'zone-a' },
  n2: { v4: '172.18.0.3', v6: 'fc00:f853:ccd:e793::3', zone: 'zone-a' },
  n3: { v4: '172.18.0.4', v6: 'fc00:f853:ccd:e793::4', zone: 'zone-b' },
} as const;

export function node(name: keyof typeof NODES, extra: Node['status'] = {}): Node {
  const n = NODES[name];
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': n.zone } },
    status: {
      addresses: [
        { type: 'InternalIP', address: n.v4 },
        { type: 'InternalIP', address: n.v6 },
        { type: 'Hostname', address: name },
      ],
      ...extra,
    },
  };
}

export const allNodes = (): Node[] => [node('n1'), node('n2'), node('n3')];

export function service(
  name: string,
  spec: Partial<Service['spec']> = {},
  status?: Service['status'],
): Service {
  const ports: ServicePort[] = spec.ports ?? [
    { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.20',
      clusterIPs: ['10.96.0.20'],
      ipFamilies: ['IPv4'],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      selector: { app: name },
      ...spec,
      ports,
    },
    ...(status ? { status } : {}),
  };
}

/** An endpoint of pod `pod` on node `nodeName`; conditions default to ready and serving. */
export function ep(
  address: string,
  nodeName: keyof typeof NODES | undefined,
  extra: Partial<Endpoint> & { pod?: string } = {},
): Endpoint {
  const { pod, ...rest } = extra;
  const zone = nodeName ? NODES[nodeName].zone : undefined;
  return {
    addresses: [address],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: pod ?? `pod-${address}` },
    ...(nodeName ? { nodeName } : {}),
    ...(zone ? { zone } : {}),
    ...rest,
  };
}

export const terminating = { conditions: { ready: false, serving: true, terminating: true } };
export const notReady = { conditions: { ready: false, serving: false, terminating: false } };

export function slice(
  name: string,
  svc: string,
  endpoints: Endpoint[],
  port = 8080,
  extra: Partial<EndpointSlice> = {},
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints,
    ports: [{ name: 'http', protocol: 'TCP', port }],
    ...extra,
  };
}

export function storeWith(objects: KubeObject[]): Store {
  const store = new Store();
  for (const o of objects) store.put(structuredClone(o));
  return store;
}

export function tableOf(objects: KubeObject[]): { store: Store; table: ServiceTable } {
  const store = storeWith(objects);
  return { store, table: computeServiceTable(store, config) };
}

export const podClient = (address: string, nodeName: keyof typeof NODES): ServiceClient => ({
  kind: 'pod',
  ip: ip(address),
  node: nodeName,
});
export const nodeClient = (nodeName: keyof typeof NODES): ServiceClient => ({
  kind: 'node',
  ip: ip(NODES[nodeName].v4),
  node: nodeName,
});
export const externalClient = (nodeName?: keyof typeof NODES): ServiceClient => ({
  kind: 'external',
  ip: ip('203.0.113.10'),
  ...(nodeName ? { node: nodeName } : {}),
});

/** The frontend at address:port/TCP, which the test expects to exist. */
export function frontendAt(
  table: ServiceTable,
  address: string,
  port: number,
  protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP',
): Frontend {
  const f = table.match(ip(address), port, protocol);
  if (!f) throw new Error(`no frontend at ${address}:${port}/${protocol}`);
  return f;
}
