// The Service allocators: what kube-apiserver's Service registry fills at create (IP family
// fields, clusterIPs, nodePorts, healthCheckNodePort) and what a load-balancer controller
// fills in status. Requested values are honoured first, for every Service, so no dynamic
// allocation can take an address or port another Service asked for; then dynamic values are
// handed out in namespace/name order. A Service whose request cannot be met is refused as the
// API server refuses it: an error, and the Service is removed from the computed cluster.

import type { FieldError } from '../../api/errors.js';
import { canonicalJSON } from '../../api/hash.js';
import { type LoadBalancerIngress, objectKey, type Service } from '../../api/types.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { isOurLoadBalancer, LoadBalancerPool } from './load-balancer.js';
import { NodePortAllocator, type NodePortPlan } from './node-ports.js';
import { ClusterIPAllocator, type FamilyFields, familyFields } from './service-ips.js';

// The cluster's own Services exist before anything a user creates, so they keep their
// well-known addresses even when a manifest asks for the same one.
const FIRST = new Set(['default/kubernetes', 'kube-system/kube-dns']);

interface Pending {
  service: Service;
  key: string;
  fields?: FamilyFields;
  plan: NodePortPlan;
}

function reportFieldError(ctx: ControllerContext, service: Service, e: FieldError): void {
  const path = e.path.toString();
  ctx.error(service, path, e.message.slice(path.length + 2));
}

function byKey(a: Pending, b: Pending): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function allocateServices(ctx: ControllerContext): void {
  const { store, config } = ctx;
  const ips = new ClusterIPAllocator(config);
  const nodePorts = new NodePortAllocator(config);
  const refused: Service[] = [];
  const pending: Pending[] = [];

  const all = store.list('Service');
  const ordered = [
    ...all.filter((s) => FIRST.has(objectKey(s))),
    ...all.filter((s) => !FIRST.has(objectKey(s))),
  ];
  const refuse = (service: Service, errors: FieldError[]) => {
    for (const e of errors) reportFieldError(ctx, service, e);
    refused.push(service);
  };

  // 1. Requested values, in creation order: the first Service to ask for a value gets it.
  for (const service of ordered) {
    let fields: FamilyFields | undefined;
    if (service.spec.type !== 'ExternalName') {
      const f = familyFields(service, config);
      if (Array.isArray(f)) {
        refuse(service, f);
        continue;
      }
      const conflicts = ips.reserveRequested(f);
      if (conflicts.length > 0) {
        refuse(service, conflicts);
        continue;
      }
      fields = f;
    }
    const plan = nodePorts.reserveRequested(service);
    if (Array.isArray(plan)) {
      if (fields) ips.release(fields);
      refuse(service, plan);
      continue;
    }
    pending.push({ service, key: objectKey(service), fields, plan });
  }

  // 2. Dynamic values, in namespace/name order.
  pending.sort(byKey);
  const accepted: Pending[] = [];
  for (const p of pending) {
    const errors = [
      ...(p.fields ? ips.allocateDynamic(p.fields, p.key) : []),
      ...nodePorts.allocateDynamic(p.service, p.plan, p.key),
    ];
    if (errors.length > 0) {
      if (p.fields) ips.release(p.fields);
      nodePorts.release(p.plan);
      refuse(p.service, errors);
      continue;
    }
    accepted.push(p);
  }

  const ingress = assignLoadBalancers(ctx, accepted);
  for (const p of accepted) write(ctx, p, ingress.get(p.key));
  for (const s of refused) store.delete('Service', s.metadata.namespace, s.metadata.name);
}

/** Load balancer addresses: existing statuses first, then requested addresses, then the rest. */
function assignLoadBalancers(
  ctx: ControllerContext,
  accepted: Pending[],
): Map<string, LoadBalancerIngress[]> {
  const pool = new LoadBalancerPool(ctx.config);
  const out = new Map<string, LoadBalancerIngress[]>();
  const waiting: Pending[] = [];
  for (const p of accepted) {
    if (p.service.status?.loadBalancer?.ingress?.length) {
      const clash = pool.claimExisting(p.service, p.key);
      if (clash)
        ctx.warn(p.service, 'status.loadBalancer.ingress', `an address is also assigned to Service ${clash}`);
    } else if (isOurLoadBalancer(p.service)) {
      waiting.push(p);
    } else if (p.service.spec.type === 'LoadBalancer') {
      ctx.warn(
        p.service,
        'spec.loadBalancerClass',
        `load balancer class "${p.service.spec.loadBalancerClass}" is not served by podnet: the address stays <pending>`,
      );
    }
  }
  const requested = waiting.filter((p) => p.service.spec.loadBalancerIP);
  const rest = waiting.filter((p) => !p.service.spec.loadBalancerIP);
  for (const p of [...requested, ...rest]) {
    const result = pool.assign(p.service, p.key, p.fields?.ipFamilies ?? []);
    if (result.kind === 'assigned') out.set(p.key, result.ingress);
    else ctx.warn(p.service, 'status.loadBalancer', `no address assigned (<pending>): ${result.reason}`);
  }
  return out;
}

/** Writes what was allocated, when it differs from what the Service carries. */
function write(ctx: ControllerContext, p: Pending, ingress: LoadBalancerIngress[] | undefined): void {
  const s = p.service;
  const ports = s.spec.ports ?? [];
  const hc = p.plan.healthCheckNodePort;
  const f = p.fields;
  const changed =
    (f !== undefined &&
      (s.spec.ipFamilyPolicy !== f.ipFamilyPolicy ||
        canonicalJSON(s.spec.ipFamilies) !== canonicalJSON(f.ipFamilies) ||
        canonicalJSON(s.spec.clusterIPs) !== canonicalJSON(f.clusterIPs) ||
        s.spec.clusterIP !== f.clusterIPs[0])) ||
    ports.some((port, i) => (port.nodePort ?? 0) !== p.plan.ports[i]) ||
    (hc !== 0 && s.spec.healthCheckNodePort !== hc) ||
    s.status?.loadBalancer === undefined ||
    ingress !== undefined;
  if (!changed) return;

  const next = structuredClone(s);
  if (f) {
    next.spec.clusterIP = f.clusterIPs[0];
    next.spec.clusterIPs = f.clusterIPs;
    next.spec.ipFamilies = f.ipFamilies;
    next.spec.ipFamilyPolicy = f.ipFamilyPolicy;
  }
  next.spec.ports?.forEach((port, i) => {
    if (p.plan.ports[i]) port.nodePort = p.plan.ports[i];
  });
  if (hc) next.spec.healthCheckNodePort = hc;
  // The registry always serialises an empty status.loadBalancer.
  next.status = { ...next.status, loadBalancer: ingress ? { ingress } : (next.status?.loadBalancer ?? {}) };
  ctx.store.put(next);
}

export const serviceAllocatorController: Controller = {
  name: 'service-allocator',
  reconcile: (ctx) =>
    ChangeTracker.of(ctx.store, 'service-allocator', ['Service']).run(ctx, () => allocateServices(ctx)),
};
