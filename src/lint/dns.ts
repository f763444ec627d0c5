// DNS findings: names that will not resolve. An ExternalName holding an IP address, a
// StatefulSet whose governing Service is missing or not headless, a pod whose subdomain names no
// Service, and pods whose egress policies shut them off from the cluster DNS.

import { fromMap, matches } from '../api/labels.js';
import { isHeadless } from '../api/service.js';
import type { KubeObject, Pod, Protocol, Service } from '../api/types.js';
import { objectKey } from '../api/types.js';
import { dnsBase } from '../controllers/kubelet/resolv-conf.js';
import { findPort } from '../controllers/services/service-ports.js';
import { isPodTerminal } from '../controllers/workloads/pod-state.js';
import { parseIP } from '../ip/index.js';
import { evaluateDirection } from '../netpol/evaluate.js';
import type { Endpoint, PolicyRef } from '../netpol/types.js';
import { policyRefString } from '../netpol/types.js';
import { fieldPath, type LintContext, plural, someNames } from './context.js';
import type { Rule } from './types.js';

const ADMIN_KINDS = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'] as const;

const externalNameIP: Rule = {
  code: 'externalname-ip',
  severity: 'warning',
  title: 'an ExternalName Service whose externalName is an IP address',
  check(ctx, report) {
    for (const s of ctx.store.list('Service')) {
      if (s.spec.type !== 'ExternalName') continue;
      const name = (s.spec.externalName ?? '').replace(/\.$/, '');
      if (!parseIP(name)) continue;
      report(
        s,
        'spec.externalName',
        `externalName ${name} is an IP address, which the API accepts only as a name made of digits: the cluster DNS serves no record for it (CoreDNS answers NXDOMAIN) and nothing proxies it; for a fixed address use a Service without a selector and an EndpointSlice holding the address`,
      );
    }
  },
};

const statefulSetServiceMissing: Rule = {
  code: 'statefulset-service-missing',
  severity: 'warning',
  title: 'a StatefulSet whose serviceName names no Service in its namespace',
  check(ctx, report) {
    for (const sts of ctx.store.list('StatefulSet')) {
      const name = sts.spec.serviceName;
      if (!name || ctx.store.has('Service', sts.metadata.namespace, name)) continue;
      report(
        sts,
        'spec.serviceName',
        `no Service ${JSON.stringify(name)} in namespace ${sts.metadata.namespace}: the members' stable names (${sts.metadata.name}-0.${name}.${sts.metadata.namespace}.svc) do not resolve; create the headless Service (clusterIP: None) that selects the set's pods`,
      );
    }
  },
};

const statefulSetServiceNotHeadless: Rule = {
  code: 'statefulset-service-not-headless',
  severity: 'warning',
  title: 'a StatefulSet whose serviceName names a Service that is not headless',
  check(ctx, report) {
    for (const sts of ctx.store.list('StatefulSet')) {
      const name = sts.spec.serviceName;
      const service = name ? ctx.store.get('Service', sts.metadata.namespace, name) : undefined;
      if (!service || isHeadless(service)) continue;
      const kind = service.spec.type === 'ExternalName' ? 'an ExternalName Service' : 'it has a cluster IP';
      report(
        sts,
        'spec.serviceName',
        `Service ${JSON.stringify(name)} is not headless (${kind}): its name resolves to one address instead of the members', so clients cannot find each member by listing the Service; StatefulSets need a headless governing Service (clusterIP: None)`,
      );
    }
  },
};

/** Whether a Service's selector matches the pod (a Service without one selects nothing). */
function selects(service: Service, pod: Pod): boolean {
  const selector = service.spec.selector;
  return !!selector && Object.keys(selector).length > 0 && matches(fromMap(selector), pod.metadata.labels);
}

const podSubdomainNoService: Rule = {
  code: 'pod-subdomain-no-service',
  severity: 'warning',
  title: 'a pod with hostname and subdomain that no Service of that name selects',
  check(ctx, report) {
    for (const pod of ctx.store.list('Pod')) {
      const { hostname, subdomain } = pod.spec;
      if (!hostname || !subdomain || isPodTerminal(pod)) continue;
      // A StatefulSet's pods take its serviceName: the StatefulSet rules speak for them.
      if (ctx.controllerOf(pod)?.kind === 'StatefulSet') continue;
      const service = ctx.store.get('Service', pod.metadata.namespace, subdomain);
      if (service && selects(service, pod)) continue;
      const why = service
        ? `Service ${JSON.stringify(subdomain)} does not select the pod`
        : `there is no Service ${JSON.stringify(subdomain)} in namespace ${pod.metadata.namespace}`;
      report(
        pod,
        'spec.subdomain',
        `${hostname}.${subdomain}.${pod.metadata.namespace}.svc does not resolve: ${why}; the cluster DNS publishes a pod's hostname only through the endpoints of a Service named like its subdomain (headless, by convention)`,
      );
    }
  },
};

/** The cluster DNS as pods reach it: CoreDNS pods and the target ports of port 53. */
interface DNSTargets {
  readonly endpoints: readonly Endpoint[];
  /** Per protocol, the resolved target port on each endpoint (same order). */
  readonly ports: ReadonlyMap<Protocol, readonly (number | undefined)[]>;
}

function dnsTargets(ctx: LintContext): DNSTargets | undefined {
  const service = ctx.store.get('Service', 'kube-system', 'kube-dns');
  if (!service) return undefined;
  const model = ctx.policyModel();
  const pods: Pod[] = [];
  const endpoints: Endpoint[] = [];
  for (const pod of ctx.podsOf(service)) {
    const ep = model.podEndpoint(pod);
    if (!ep) continue;
    pods.push(pod);
    endpoints.push(ep);
  }
  const ports = new Map<Protocol, (number | undefined)[]>();
  for (const sp of service.spec.ports ?? []) {
    const protocol = sp.protocol ?? 'TCP';
    if (sp.port !== 53 || ports.has(protocol)) continue;
    ports.set(
      protocol,
      pods.map((p) => findPort(p, sp)),
    );
  }
  return endpoints.length > 0 && ports.size > 0 ? { endpoints, ports } : undefined;
}

/**
 * The pods that use the cluster DNS, grouped so every egress policy treats the pods of a group
 * alike: without cluster-scoped policies, by the NetworkPolicies isolating them for egress (pods
 * no policy isolates are allowed and left out); with them, by namespace and labels, which is all
 * their subjects look at.
 */
function egressGroups(ctx: LintContext): Pod[][] {
  const { store } = ctx;
  const model = ctx.policyModel();
  const admin = ADMIN_KINDS.some((k) => store.count(k) > 0);
  const groups = new Map<string, Pod[]>();
  for (const pod of store.list('Pod')) {
    if (pod.spec.hostNetwork || isPodTerminal(pod) || dnsBase(pod) !== 'cluster') continue;
    let key: string;
    if (admin) {
      const labels = pod.metadata.labels ?? {};
      const pairs = Object.keys(labels)
        .sort()
        .map((k) => `${k}=${labels[k]}`);
      key = `${pod.metadata.namespace}|${pairs.join(',')}`;
    } else {
      const refs = model.isolatedBy(pod, 'Egress');
      if (refs.length === 0) continue;
      key = refs.map(policyRefString).join(',');
    }
    const list = groups.get(key);
    if (list) list.push(pod);
    else groups.set(key, [pod]);
  }
  return [...groups.values()];
}

/** What denied DNS to a group: the isolating NetworkPolicies, or one Admin/Baseline rule. */
interface Denial {
  readonly subject: KubeObject;
  readonly field: string;
  readonly cause: string;
  readonly protocols: Set<string>;
  /** Indexes of the DNS endpoints denied. */
  readonly endpoints: Set<number>;
  readonly groups: Set<Pod[]>;
}

function policyObject(ctx: LintContext, ref: PolicyRef): KubeObject | undefined {
  return ctx.store.get(ref.kind, ref.namespace, ref.name);
}

const egressDeniesDNS: Rule = {
  code: 'egress-denies-dns',
  severity: 'warning',
  title: 'pods whose egress policies deny DNS to the cluster DNS (kube-system/kube-dns)',
  check(ctx, report) {
    const targets = dnsTargets(ctx);
    if (!targets) return;
    const model = ctx.policyModel();
    const denials = new Map<string, Denial>();
    for (const group of egressGroups(ctx)) {
      const client = group.map((p) => model.podEndpoint(p)).find((e) => e !== undefined);
      if (!client) continue;
      for (const [protocol, ports] of targets.ports) {
        targets.endpoints.forEach((to, i) => {
          const port = ports[i];
          if (port === undefined) return;
          const v = evaluateDirection(model, { from: client, to, port, protocol }, 'Egress');
          if (v.allowed) return;
          const decided = v.decidedBy[0];
          const refs = decided ? [decided.policy] : v.isolatedBy;
          const subject = refs.length > 0 ? policyObject(ctx, refs[0]) : undefined;
          if (!subject) return;
          const field = decided ? fieldPath('spec', 'egress', decided.rule) : 'spec.egress';
          const cause = decided
            ? `rule ${field} of ${policyRefString(decided.policy)} denies it`
            : `egress is isolated by ${refs.map(policyRefString).join(', ')} and no rule there allows it`;
          const key = `${policyRefString(refs[0])}|${field}|${cause}`;
          let d = denials.get(key);
          if (!d) {
            d = { subject, field, cause, protocols: new Set(), endpoints: new Set(), groups: new Set() };
            denials.set(key, d);
          }
          d.protocols.add(`53/${protocol}`);
          d.endpoints.add(i);
          d.groups.add(group);
        });
      }
    }
    const total = targets.endpoints.length;
    for (const d of denials.values()) {
      const names = [...d.groups].flatMap((g) => g.map((p) => objectKey(p)));
      const which =
        d.endpoints.size === total
          ? 'the CoreDNS pods behind kube-system/kube-dns'
          : `${d.endpoints.size} of the ${total} CoreDNS pods behind kube-system/kube-dns, so lookups fail whenever the Service picks one of them`;
      report(
        d.subject,
        d.field,
        `${plural(names.length, 'pod')} (${someNames(names)}) cannot reach the cluster DNS on ${[...d.protocols].sort().join(' and ')} (${which}): ${d.cause}, so name lookups time out; allow egress to namespaceSelector kubernetes.io/metadata.name=kube-system with podSelector k8s-app=kube-dns on 53/UDP and 53/TCP`,
      );
    }
  },
};

export const DNS_RULES: readonly Rule[] = [
  externalNameIP,
  statefulSetServiceMissing,
  statefulSetServiceNotHeadless,
  podSubdomainNoService,
  egressDeniesDNS,
];
