// Who the ingress controller is on the network. A URL's request reaches it, and it opens its own
// connection to the backend: NetworkPolicies at the backend see the controller, not the client.
//
// - If the cluster runs ingress-nginx (the served IngressClass names `k8s.io/ingress-nginx`, or
//   no IngressClass exists) and has its controller pods (labelled as the project's manifests
//   label them: app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/component=controller),
//   the first of them by namespace/name holding an address is the controller. Clients reach it
//   where it is exposed: a hostPort on its node (kind's deployment), else the load-balancer
//   address or a node's NodePort of a Service selecting it, else its pod IP.
// - Otherwise podnet plays the controller as a process on a node, as kind's ingress-nginx runs
//   with hostPorts 80 and 443 on the ingress-ready (else the control-plane) node: its
//   connections come from that node's address, which no NetworkPolicy selects.

import { fromLabelSelector, fromMap, matches } from '../api/labels.js';
import type { Pod, Service } from '../api/types.js';
import { type IP, type IPFamily, parseIP } from '../ip/index.js';
import type { Endpoint } from '../netpol/types.js';
import type { TraceContext } from './context.js';
import type { Destination } from './deliver.js';
import { endRef } from './refs.js';
import type { IngressController } from './types.js';

const INGRESS_NGINX = 'k8s.io/ingress-nginx';
const CONTROLLER_LABELS = fromMap({
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
});

export interface Controller {
  readonly ref: IngressController;
  /** Where its proxy connections come from. */
  readonly end: Endpoint;
  /** The address a client reaches it on (what a public name for an Ingress host points at). */
  readonly address: IP;
  /** Whether a connection that arrived at `to` reached the controller's HTTP(S) listener. */
  serves(to: Destination): boolean;
  /** Whether the listener at a port it serves speaks TLS (ingress-nginx's https port, 443 on a node). */
  tls(port: number): boolean;
}

/** The controller the served classes name; ingress-nginx when there is no IngressClass. */
function controllerName(ctx: TraceContext): string {
  for (const name of ctx.ingress.classes) {
    const controller = ctx.store.get('IngressClass', undefined, name)?.spec.controller;
    if (controller) return controller;
  }
  return INGRESS_NGINX;
}

function controllerPods(ctx: TraceContext, family: IPFamily): Pod[] {
  const pods: Pod[] = [];
  for (const ns of ctx.store.list('Namespace')) {
    for (const pod of ctx.store.select('Pod', ns.metadata.name, CONTROLLER_LABELS))
      if (ctx.model.podEndpoint(pod, family)) pods.push(pod);
  }
  const key = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;
  return pods.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The ports ingress-nginx listens on in its pod: its `http` and `https` container ports, else 80 and 443. */
function listenPorts(pod: Pod): { port: number; hostPort?: number; tls: boolean }[] {
  const out: { port: number; hostPort?: number; tls: boolean }[] = [];
  for (const c of pod.spec.containers)
    for (const p of c.ports ?? [])
      if ((p.protocol ?? 'TCP') === 'TCP' && (p.name === 'http' || p.name === 'https'))
        out.push({
          port: p.containerPort,
          ...(p.hostPort ? { hostPort: p.hostPort } : {}),
          tls: p.name === 'https',
        });
  return out.length > 0
    ? out
    : [
        { port: 80, tls: false },
        { port: 443, tls: true },
      ];
}

/** A Service exposing the pod to outside clients: its load-balancer address, or a node's NodePort. */
function exposedAt(ctx: TraceContext, pod: Pod, family: IPFamily): IP | undefined {
  const labels = pod.metadata.labels ?? {};
  const services = ctx.store
    .list('Service', pod.metadata.namespace)
    .filter(
      (s: Service) => s.spec.selector && matches(fromLabelSelector({ matchLabels: s.spec.selector }), labels),
    );
  for (const svc of services) {
    for (const f of ctx.services.frontendsOf(svc.metadata.namespace as string, svc.metadata.name))
      if (f.kind === 'LoadBalancer' && f.family === family && f.ip) return parseIP(f.ip);
  }
  for (const svc of services) {
    for (const f of ctx.services.frontendsOf(svc.metadata.namespace as string, svc.metadata.name)) {
      if (f.kind !== 'NodePort' || f.family !== family) continue;
      const node = pod.spec.nodeName ? ctx.services.node(pod.spec.nodeName) : undefined;
      const ip = node?.addresses[family];
      if (ip) return parseIP(ip);
    }
  }
  return undefined;
}

function podController(
  ctx: TraceContext,
  ref: Omit<IngressController, 'mode' | 'endpoint'>,
  pods: Pod[],
  family: IPFamily,
): Controller {
  const pod = pods[0];
  const end = ctx.model.podEndpoint(pod, family) as Endpoint;
  const ports = listenPorts(pod);
  const hostPorted = ports.some((p) => p.hostPort !== undefined);
  const node = pod.spec.nodeName ? ctx.model.nodeEndpoint(pod.spec.nodeName, family) : undefined;
  const address = (hostPorted ? node?.ip : undefined) ?? exposedAt(ctx, pod, family) ?? end.ip;
  const replicas = new Set(pods);
  return {
    ref: { ...ref, mode: 'pod', endpoint: endRef(end) },
    end,
    address,
    serves: (to) =>
      to.endpoint.kind !== 'external' &&
      to.endpoint.pod !== undefined &&
      replicas.has(to.endpoint.pod) &&
      to.protocol === 'TCP' &&
      ports.some((p) => p.port === to.port),
    tls: (port) => ports.some((p) => p.port === port && p.tls),
  };
}

/** The controller for connections of `family`; undefined when no node can host it. */
export function findController(ctx: TraceContext, family: IPFamily): Controller | undefined {
  const name = controllerName(ctx);
  const ref = { name, classes: ctx.ingress.classes };
  const pods = name === INGRESS_NGINX ? controllerPods(ctx, family) : [];
  if (pods.length > 0) return podController(ctx, ref, pods, family);
  const listener = ctx.ingress.listener;
  const end = listener ? ctx.model.nodeEndpoint(listener.node, family) : undefined;
  if (!listener || !end || end.kind !== 'node') return undefined;
  const listens = listener.ips.map((s) => parseIP(s)).find((ip) => ip?.family === family) ?? end.ip;
  return {
    ref: { ...ref, mode: 'host', endpoint: endRef(end) },
    end,
    address: listens,
    serves: (to) =>
      to.endpoint.kind === 'node' &&
      to.endpoint.node === end.node &&
      to.protocol === 'TCP' &&
      (to.port === 80 || to.port === 443),
    tls: (port) => port === 443,
  };
}
