// Service findings: a selector that matches nothing, target ports the selected pods do not serve,
// endpoints published before they are ready, and load balancers left without an address.
//
// What the API server already refuses (several ports without names, externalTrafficPolicy on a
// ClusterIP Service, a nodePort taken twice) or warns about at admission (sessionAffinity on a
// headless Service) stops or is reported at load, and is not repeated here.

import { formatSelector, fromMap } from '../api/labels.js';
import { isServiceIPSet } from '../api/service.js';
import type { Pod, Service, ServicePort } from '../api/types.js';
import { hasManagedEndpoints } from '../controllers/endpoints/endpointslice-objects.js';
import { findPort } from '../controllers/services/service-ports.js';
import { formatIP } from '../ip/index.js';
import { fieldPath, type LintContext, plural, podKeys, servingPorts, someNames } from './context.js';
import type { Rule } from './types.js';

function selectorText(service: Service): string {
  return formatSelector(fromMap(service.spec.selector ?? {}));
}

/** Services whose endpoints the EndpointSlice controller computes from pods they select. */
function* selectingServices(ctx: LintContext): Generator<Service> {
  for (const s of ctx.store.list('Service')) if (hasManagedEndpoints(s)) yield s;
}

function protocolOf(port: ServicePort): string {
  return port.protocol ?? 'TCP';
}

/** Whether a pod runs a container declaring `number` with `protocol` (any protocol when undefined). */
function declares(pod: Pod, number: number, protocol?: string): boolean {
  for (const p of servingPorts(pod.spec))
    if (p.port.containerPort === number && (protocol === undefined || p.protocol === protocol)) return true;
  return false;
}

const selectsNothing: Rule = {
  code: 'service-selects-nothing',
  severity: 'warning',
  title: 'a Service whose selector matches no pod in its namespace',
  check(ctx, report) {
    for (const s of selectingServices(ctx)) {
      if (ctx.podsOf(s).length > 0) continue;
      const ns = s.metadata.namespace as string;
      // Terminal pods are never endpoints: matching only those is matching nothing that serves.
      const finished = ctx.store.select('Pod', ns, fromMap(s.spec.selector ?? {})).length;
      const what =
        finished > 0
          ? `matches only pods that have finished (Succeeded or Failed) in namespace ${ns}`
          : `matches no pod in namespace ${ns}`;
      report(
        s,
        'spec.selector',
        `selector ${selectorText(s)} ${what}: the Service has no endpoints, so connections to it are rejected; check the labels of the pod template (a Service selects pods of its own namespace only)`,
      );
    }
  },
};

const targetPortNotDeclared: Rule = {
  code: 'service-target-port-not-declared',
  severity: 'warning',
  title: 'a numeric targetPort that no selected pod declares as a containerPort of that protocol',
  check(ctx, report) {
    for (const s of selectingServices(ctx)) {
      const pods = ctx.podsOf(s);
      if (pods.length === 0) continue;
      (s.spec.ports ?? []).forEach((port, i) => {
        const target = port.targetPort ?? port.port;
        if (typeof target !== 'number') return;
        const protocol = protocolOf(port);
        if (pods.some((p) => declares(p, target, protocol))) return;
        const other = pods.some((p) => declares(p, target));
        const what = other
          ? `the selected pods declare ${target} with another protocol, not ${protocol}: nothing is likely to answer ${target}/${protocol}`
          : `no container of the ${plural(pods.length, 'selected pod')} (${someNames(podKeys(pods))}) declares containerPort ${target}/${protocol}; traffic is still forwarded there, so this works only if a container listens on it anyway`;
        report(
          s,
          fieldPath('spec', 'ports', i, 'targetPort'),
          `targetPort ${target}/${protocol}: ${what}; declare the port in the pod template, or point targetPort at a declared port`,
        );
      });
    }
  },
};

/** A named targetPort some selected pods do not resolve (podutil.FindPort: name and protocol). */
interface NamedTarget {
  readonly service: Service;
  readonly index: number;
  readonly name: string;
  readonly pods: readonly Pod[];
  readonly missing: readonly Pod[];
}

const namedTargetsOf = new WeakMap<LintContext, NamedTarget[]>();

/** The named targetPorts that some selected pods do not resolve, computed once per run. */
function namedTargets(ctx: LintContext): readonly NamedTarget[] {
  let out = namedTargetsOf.get(ctx);
  if (out) return out;
  out = [];
  for (const s of selectingServices(ctx)) {
    const pods = ctx.podsOf(s);
    if (pods.length === 0) continue;
    const ports = s.spec.ports ?? [];
    for (let index = 0; index < ports.length; index++) {
      const name = ports[index].targetPort;
      if (typeof name !== 'string') continue;
      const missing = pods.filter((p) => findPort(p, ports[index]) === undefined);
      if (missing.length > 0) out.push({ service: s, index, name, pods, missing });
    }
  }
  namedTargetsOf.set(ctx, out);
  return out;
}

/** Why a pod does not resolve a named port: absent, or declared with another protocol. */
function nameProblem(pods: readonly Pod[], name: string, protocol: string): string {
  const elsewhere = pods.some((p) => servingPorts(p.spec).some((x) => x.port.name === name));
  return elsewhere
    ? `declare port ${JSON.stringify(name)} with protocol ${protocol}, not another one (a named port resolves by name and protocol)`
    : `declare no container port named ${JSON.stringify(name)}`;
}

const targetPortNameMissing: Rule = {
  code: 'service-target-port-name-missing',
  severity: 'error',
  title: 'a named targetPort that none of the selected pods declares (with that protocol)',
  check(ctx, report) {
    for (const t of namedTargets(ctx)) {
      if (t.missing.length < t.pods.length) continue;
      const port = t.service.spec.ports?.[t.index] as ServicePort;
      const protocol = protocolOf(port);
      report(
        t.service,
        fieldPath('spec', 'ports', t.index, 'targetPort'),
        `targetPort ${JSON.stringify(t.name)}: the ${plural(t.pods.length, 'selected pod')} (${someNames(podKeys(t.pods))}) ${nameProblem(t.missing, t.name, protocol)}, so the EndpointSlices publish no port ${port.port}/${protocol} and nothing serves it; name a container port ${JSON.stringify(t.name)}/${protocol} or use its number`,
      );
    }
  },
};

const targetPortNamePartial: Rule = {
  code: 'service-target-port-name-partial',
  severity: 'warning',
  title: 'a named targetPort that some of the selected pods do not declare',
  check(ctx, report) {
    for (const t of namedTargets(ctx)) {
      if (t.missing.length === t.pods.length) continue;
      const port = t.service.spec.ports?.[t.index] as ServicePort;
      const protocol = protocolOf(port);
      report(
        t.service,
        fieldPath('spec', 'ports', t.index, 'targetPort'),
        `targetPort ${JSON.stringify(t.name)}: ${t.missing.length} of ${plural(t.pods.length, 'selected pod')} (${someNames(podKeys(t.missing))}) ${nameProblem(t.missing, t.name, protocol)}; they are endpoints of the Service's other ports but never receive traffic for port ${port.port}/${protocol}`,
      );
    }
  },
};

const publishNotReady: Rule = {
  code: 'service-publish-not-ready',
  severity: 'warning',
  title: 'publishNotReadyAddresses on a Service with a cluster IP',
  check(ctx, report) {
    for (const s of ctx.store.list('Service')) {
      if (s.spec.publishNotReadyAddresses !== true || !isServiceIPSet(s)) continue;
      report(
        s,
        'spec.publishNotReadyAddresses',
        'every selected pod is published as ready, so kube-proxy sends traffic for the cluster IP to pods that are starting or failing their readiness probe; the field is meant for headless Services whose members must find each other before they are ready (StatefulSet peer discovery)',
      );
    }
  },
};

const loadBalancerPending: Rule = {
  code: 'loadbalancer-pending',
  severity: 'warning',
  title: 'a LoadBalancer Service that got no address from the load-balancer pool',
  check(ctx, report) {
    const pool = ctx.config.loadBalancerPool
      .map((r) => `${formatIP(r.first)}-${formatIP(r.last)}`)
      .join(', ');
    for (const s of ctx.store.list('Service')) {
      // A Service of another loadBalancerClass belongs to another controller (reported at load).
      if (s.spec.type !== 'LoadBalancer' || s.spec.loadBalancerClass !== undefined) continue;
      if (s.status?.loadBalancer?.ingress?.length) continue;
      const reach =
        s.spec.allocateLoadBalancerNodePorts === false
          ? 'it has no node ports either (allocateLoadBalancerNodePorts: false), so nothing outside the cluster reaches it'
          : 'outside clients reach it only through its node ports';
      const requested = s.spec.loadBalancerIP;
      const why = requested
        ? `the requested loadBalancerIP ${requested} is outside the pool or held by another Service`
        : "the pool is used up or has no address of the Service's IP families";
      report(
        s,
        'status.loadBalancer.ingress',
        `<pending>: no address from the load-balancer pool (${pool || 'empty'}): ${why}; ${reach}; widen loadBalancerPool in the cluster config`,
      );
    }
  },
};

export const SERVICE_RULES: readonly Rule[] = [
  selectsNothing,
  targetPortNotDeclared,
  targetPortNameMissing,
  targetPortNamePartial,
  publishNotReady,
  loadBalancerPending,
];
