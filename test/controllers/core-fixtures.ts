// Fixtures for the core controllers' tests: admitted-looking (already defaulted) objects, a store
// holding them, and a run of the core controllers in the order `converge` runs them, until a
// pass writes nothing.

import type { ClusterConfig } from '../../src/api/cluster-config.js';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type {
  Container,
  DaemonSet,
  Deployment,
  KubeObject,
  Node,
  Pod,
  PodSpec,
  ReplicaSet,
  StatefulSet,
} from '../../src/api/types.js';
import { namespaceController } from '../../src/controllers/cluster/namespaces.js';
import { nodeController } from '../../src/controllers/cluster/nodes.js';
import { type Controller, collectingContext } from '../../src/controllers/context.js';
import { kubeletController } from '../../src/controllers/kubelet/kubelet.js';
import { schedulerController } from '../../src/controllers/scheduling/scheduler.js';
import { daemonSetController } from '../../src/controllers/workloads/daemonset.js';
import { deploymentController } from '../../src/controllers/workloads/deployment.js';
import { replicaSetController } from '../../src/controllers/workloads/replicaset.js';
import { statefulSetController } from '../../src/controllers/workloads/statefulset.js';
import { Store } from '../../src/store/store.js';

/** The core controllers, in `converge`'s order (the system objects need admission: tested apart). */
export const CORE: readonly Controller[] = [
  namespaceController,
  nodeController,
  deploymentController,
  replicaSetController,
  statefulSetController,
  daemonSetController,
  schedulerController,
  kubeletController,
];

export type Context = ReturnType<typeof collectingContext>;

export function cluster(objects: KubeObject[] = [], config: ClusterConfig = defaultClusterConfig()): Context {
  const store = new Store();
  for (const o of objects) store.put(o, { file: 'test.yaml' });
  return collectingContext(store, config);
}

/** Runs `controllers` until a pass leaves the store unchanged; returns the number of passes. */
export function settle(ctx: Context, controllers: readonly Controller[] = CORE, maxPasses = 10): number {
  for (let pass = 1; pass <= maxPasses; pass++) {
    const before = ctx.store.resourceVersion;
    for (const c of controllers) c.reconcile(ctx);
    if (ctx.store.resourceVersion === before) return pass;
  }
  throw new Error(`controllers did not settle in ${maxPasses} passes`);
}

/** Everything in the store as JSON, for byte-for-byte comparisons. */
export function dump(ctx: Context): string {
  const kinds = ['Namespace', 'Node', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Pod'] as const;
  return JSON.stringify(kinds.map((k) => ctx.store.list(k)));
}

export function warnings(ctx: Context): string[] {
  return ctx.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.object}: ${d.message}`);
}

export function errors(ctx: Context): string[] {
  return ctx.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.object}: ${d.message}`);
}

export function container(name = 'app', extra: Partial<Container> = {}): Container {
  return { name, image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', ...extra };
}

/** A pod spec as admission leaves it (API defaults applied). */
export function podSpec(extra: Partial<PodSpec> = {}): PodSpec {
  return {
    containers: [container()],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    ...extra,
  };
}

export function pod(
  name: string,
  spec: Partial<PodSpec> = {},
  meta: Partial<Pod['metadata']> = {},
  ns = 'default',
): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...meta }, spec: podSpec(spec) };
}

export function node(name: string, extra: Partial<Node> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, ...extra };
}

export function deployment(
  name: string,
  replicas: number,
  labels: Record<string, string> = { app: name },
  spec: Partial<PodSpec> = {},
  ns = 'default',
): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec(spec) },
    },
  };
}

export function replicaSet(
  name: string,
  replicas: number,
  labels: Record<string, string> = { app: name },
  spec: Partial<PodSpec> = {},
  ns = 'default',
): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec(spec) },
    },
  };
}

export function statefulSet(
  name: string,
  replicas: number,
  extra: Partial<StatefulSet['spec']> = {},
  ns = 'default',
): StatefulSet {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      serviceName: name,
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec() },
      ...extra,
    },
  };
}

export function daemonSet(name: string, spec: Partial<PodSpec> = {}, ns = 'default'): DaemonSet {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(spec) } },
  };
}

/** The pods of a namespace in creation order (`list` by namespace orders by last write). */
export function pods(ctx: Context, ns = 'default'): Pod[] {
  return ctx.store.list('Pod').filter((p) => p.metadata.namespace === ns);
}
