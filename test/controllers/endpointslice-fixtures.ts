// Admitted-looking objects (defaulted, pods as the kubelet leaves them) for the Service,
// EndpointSlice and Endpoints controller tests.

import type { ClusterConfig } from '../../src/api/cluster-config.js';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type {
  ContainerPort,
  KubeObject,
  Node,
  Pod,
  PodPhase,
  Service,
  ServicePort,
  ServiceSpec,
} from '../../src/api/types.js';
import { collectingContext } from '../../src/controllers/context.js';
import { endpointsController } from '../../src/controllers/endpoints/endpoints.js';
import { endpointSliceController } from '../../src/controllers/endpoints/endpointslice.js';
import { endpointSliceMirroringController } from '../../src/controllers/endpoints/endpointslice-mirroring.js';
import { serviceAllocatorController } from '../../src/controllers/services/service-allocator.js';
import { Store } from '../../src/store/store.js';

export function node(name: string, zone?: string, labels: Record<string, string> = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}),
        ...labels,
      },
    },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export interface PodOptions {
  ns?: string;
  labels?: Record<string, string>;
  ips?: string[];
  node?: string;
  ready?: boolean;
  phase?: PodPhase;
  deleting?: boolean;
  ports?: ContainerPort[];
  hostname?: string;
  subdomain?: string;
}

export function pod(name: string, o: PodOptions = {}): Pod {
  const ips = o.ips ?? [];
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', labels: o.labels ?? { app: 'web' } },
    spec: { containers: [{ name: 'c', ports: o.ports ?? [] }], nodeName: o.node ?? 'n1' },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
      ...(ips.length > 0 ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
    },
  };
  if (o.deleting) p.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
  if (o.hostname) p.spec.hostname = o.hostname;
  if (o.subdomain) p.spec.subdomain = o.subdomain;
  return p;
}

export function port(p: number, extra: Partial<ServicePort> = {}): ServicePort {
  return { protocol: 'TCP', port: p, targetPort: p, ...extra };
}

export function service(
  name: string,
  spec: Partial<ServiceSpec> = {},
  meta: Partial<KubeObject['metadata']> = {},
): Service {
  const type = spec.type ?? 'ClusterIP';
  const s: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...meta },
    spec: {
      type,
      selector: { app: 'web' },
      ports: [port(80)],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ...(type === 'NodePort' || type === 'LoadBalancer'
        ? { externalTrafficPolicy: 'Cluster' as const }
        : {}),
      ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
      ...spec,
    },
  };
  if (s.spec.clusterIP && !s.spec.clusterIPs) s.spec.clusterIPs = [s.spec.clusterIP];
  return s;
}

/** A store holding `objects` (nodes n1..n3 in zones a/b/c unless nodes are given). */
export function storeWith(objects: KubeObject[]): Store {
  const store = new Store();
  if (!objects.some((o) => o.kind === 'Node')) {
    store.put(node('n1', 'zone-a'));
    store.put(node('n2', 'zone-b'));
    store.put(node('n3', 'zone-c'));
  }
  for (const o of objects) store.put(structuredClone(o));
  return store;
}

/** Runs the allocator, EndpointSlice, Endpoints and mirroring controllers until a pass writes nothing. */
export function converge(store: Store, config: ClusterConfig = defaultClusterConfig()) {
  const ctx = collectingContext(store, config);
  let passes = 0;
  for (;;) {
    const before = store.resourceVersion;
    passes++;
    for (const c of [
      serviceAllocatorController,
      endpointSliceController,
      endpointsController,
      endpointSliceMirroringController,
    ])
      c.reconcile(ctx);
    if (store.resourceVersion === before || passes > 10) break;
  }
  return { ctx, passes, diagnostics: ctx.diagnostics };
}

/**
 * How many writes one more full pass makes, with a fresh context so no controller can skip it:
 * zero when the controllers have converged.
 */
export function rerunWrites(store: Store, config: ClusterConfig = defaultClusterConfig()): number {
  const before = store.resourceVersion;
  const ctx = collectingContext(store, config);
  for (const c of [
    serviceAllocatorController,
    endpointSliceController,
    endpointsController,
    endpointSliceMirroringController,
  ])
    c.reconcile(ctx);
  return store.resourceVersion - before;
}

/** Everything the controllers computed, as JSON text (for byte-for-byte comparisons). */
export function snapshot(store: Store): string {
  const kinds = ['Service', 'EndpointSlice', 'Endpoints'] as const;
  const objs = kinds
    .flatMap((k) => store.list(k))
    .map((o) => {
      const { resourceVersion: _, ...meta } = o.metadata;
      return { ...o, metadata: meta };
    });
  objs.sort((a, b) =>
    `${a.kind}/${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
      `${b.kind}/${b.metadata.namespace}/${b.metadata.name}`,
    ),
  );
  return JSON.stringify(objs);
}
