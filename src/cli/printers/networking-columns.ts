// Columns of discovery.k8s.io, networking.k8s.io and policy.networking.k8s.io kinds:
// endpointslices, ingresses, ingressclasses, networkpolicies, and the network-policy-api CRDs
// (whose columns are their additionalPrinterColumns).

import type {
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  EndpointSlice,
  Ingress,
  IngressClass,
  NetworkPolicy,
} from '../../api/types.js';
import type { Columns, ColumnsByKind } from './columns.js';
import { formatLabelSelector, listWithMore, loadBalancerAddresses, since, text } from './format.js';

/** printers.go `formatDiscoveryPorts`: port numbers (a name, or `*`, when unset), first three. */
export function slicePorts(slice: EndpointSlice): string {
  return listWithMore(
    (slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*'))),
    3,
  );
}

/** printers.go `formatDiscoveryEndpoints`: the first three addresses over all endpoints. */
export function sliceEndpoints(slice: EndpointSlice): string {
  const addresses: string[] = [];
  for (const e of slice.endpoints ?? []) for (const a of e.addresses) addresses.push(a);
  return listWithMore(addresses, 3);
}

const endpointSlices: Columns<EndpointSlice> = {
  headers: ['ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  wide: [],
  cells: (s, ctx) => [
    text(s.addressType),
    slicePorts(s),
    sliceEndpoints(s),
    since(s.metadata.creationTimestamp, ctx),
  ],
};

/** printers.go `formatHosts`: the first three rule hosts, `*` when no rule names a host. */
export function ingressHosts(ing: Ingress): string {
  const rules = ing.spec.rules ?? [];
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    // As upstream: "more" means a rule follows the third host; the count is over all rules.
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** printers.go `ingressLoadBalancerStatusStringer`: assigned IPs or hostnames; empty until assigned. */
export function ingressAddress(ing: Ingress, wide = false): string {
  return loadBalancerAddresses(ing.status?.loadBalancer?.ingress, wide);
}

const ingresses: Columns<Ingress> = {
  headers: ['CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
  wide: [],
  cells: (ing, ctx) => [
    ing.spec.ingressClassName ?? '<none>',
    ingressHosts(ing),
    ingressAddress(ing, ctx.wide),
    // The ports an ingress controller opens: 443 as well once any TLS section exists.
    (ing.spec.tls ?? []).length > 0 ? '80, 443' : '80',
    since(ing.metadata.creationTimestamp, ctx),
  ],
};

/** printers.go `printIngressClass`: `Kind[.apiGroup]/name` of the parameters reference. */
export function ingressClassParameters(ic: IngressClass): string {
  const p = ic.spec.parameters as { kind?: string; apiGroup?: string; name?: string } | undefined;
  if (!p) return '<none>';
  return `${text(p.kind)}${p.apiGroup ? `.${p.apiGroup}` : ''}/${text(p.name)}`;
}

const ingressClasses: Columns<IngressClass> = {
  headers: ['CONTROLLER', 'PARAMETERS', 'AGE'],
  wide: [],
  cells: (ic, ctx) => [
    text(ic.spec.controller),
    ingressClassParameters(ic),
    since(ic.metadata.creationTimestamp, ctx),
  ],
};

const networkPolicies: Columns<NetworkPolicy> = {
  headers: ['POD-SELECTOR', 'AGE'],
  wide: [],
  cells: (np, ctx) => [formatLabelSelector(np.spec.podSelector), since(np.metadata.creationTimestamp, ctx)],
};

// A CRD column of type string prints the JSONPath value as it is: the priority as a number.
const clusterNetworkPolicies: Columns<ClusterNetworkPolicy> = {
  headers: ['TIER', 'PRIORITY', 'AGE'],
  wide: [],
  cells: (cnp, ctx) => [
    text(cnp.spec.tier),
    String(cnp.spec.priority),
    since(cnp.metadata.creationTimestamp, ctx),
  ],
};

const adminNetworkPolicies: Columns<AdminNetworkPolicy> = {
  headers: ['PRIORITY', 'AGE'],
  wide: [],
  cells: (anp, ctx) => [String(anp.spec.priority), since(anp.metadata.creationTimestamp, ctx)],
};

const baselineAdminNetworkPolicies: Columns<BaselineAdminNetworkPolicy> = {
  headers: ['AGE'],
  wide: [],
  cells: (banp, ctx) => [since(banp.metadata.creationTimestamp, ctx)],
};

export const networkingColumns: ColumnsByKind<
  | 'EndpointSlice'
  | 'Ingress'
  | 'IngressClass'
  | 'NetworkPolicy'
  | 'ClusterNetworkPolicy'
  | 'AdminNetworkPolicy'
  | 'BaselineAdminNetworkPolicy'
> = {
  EndpointSlice: endpointSlices,
  Ingress: ingresses,
  IngressClass: ingressClasses,
  NetworkPolicy: networkPolicies,
  ClusterNetworkPolicy: clusterNetworkPolicies,
  AdminNetworkPolicy: adminNetworkPolicies,
  BaselineAdminNetworkPolicy: baselineAdminNetworkPolicies,
};
