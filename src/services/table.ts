// The frontend table: every address/port/protocol kube-proxy (nftables mode) captures, indexed
// the way its maps are (`service-ips`: address . protocol . port; `service-nodeports`: protocol .
// port on the node's own addresses), so a lookup is one hash probe, whatever the cluster size.

import type { ClusterConfig } from '../api/cluster-config.js';
import { isServiceIPSet } from '../api/service.js';
import type { Protocol, Service } from '../api/types.js';
import { cidrContains, formatCIDR, formatIP, type IP, type IPFamily, ipKey, parseIP } from '../ip/index.js';
import type { Store } from '../store/store.js';
import { nodeInfo } from './nodes.js';
import type { Frontend, FrontendKind, Miss, NodeInfo, ServiceRef, ServiceTable } from './types.js';

type Owner = ServiceRef & { readonly kind: FrontendKind };

const addressKey = (ip: IP, protocol: Protocol, port: number) => `${ipKey(ip)}|${protocol}|${port}`;
const nodePortKey = (family: IPFamily, protocol: Protocol, port: number) => `${family}|${protocol}|${port}`;

/** kube-proxy proxies a Service that has a cluster IP: not headless, not ExternalName. */
function isProxied(svc: Service): boolean {
  return svc.spec.type !== 'ExternalName' && isServiceIPSet(svc);
}

/** The Service's cluster IPs by family, parsed once (its proxiers: one per family). */
function clusterIPs(svc: Service): IP[] {
  const out: IP[] = [];
  for (const s of svc.spec.clusterIPs ?? [svc.spec.clusterIP as string]) {
    const ip = parseIP(s);
    if (ip && !out.some((o) => o.family === ip.family)) out.push(ip);
  }
  return out;
}

/**
 * The frontends of one Service, in listing order: cluster IPs, external IPs, load-balancer
 * addresses, NodePorts; within each, addresses (or families) in spec order, then ports. Like
 * newBaseServiceInfo, external and load-balancer addresses belong to the proxier of their
 * family, which exists only for the Service's cluster IP families.
 */
function serviceFrontends(svc: Service): { frontend: Frontend; address?: IP }[] {
  const service = { namespace: svc.metadata.namespace as string, name: svc.metadata.name };
  const ports = svc.spec.ports ?? [];
  const families = clusterIPs(svc);
  const has = (ip: IP) => families.some((f) => f.family === ip.family);
  const out: { frontend: Frontend; address?: IP }[] = [];
  const add = (kind: FrontendKind, address: IP, ipMode?: 'VIP' | 'Proxy') => {
    for (const p of ports) {
      const frontend: Frontend = {
        kind,
        service,
        ip: formatIP(address),
        port: p.port,
        protocol: p.protocol ?? 'TCP',
        servicePort: p.name || String(p.port),
        family: address.family,
        ...(ipMode ? { ipMode } : {}),
      };
      out.push({ frontend, address });
    }
  };
  for (const ip of families) add('ClusterIP', ip);
  for (const s of svc.spec.externalIPs ?? []) {
    const ip = parseIP(s);
    if (ip && has(ip)) add('ExternalIP', ip);
  }
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    const ip = ing.ip ? parseIP(ing.ip) : undefined;
    if (ip && has(ip)) add('LoadBalancer', ip, ing.ipMode ?? 'VIP');
  }
  for (const { family } of families) {
    for (const p of ports) {
      if (!p.nodePort) continue;
      out.push({
        frontend: {
          kind: 'NodePort',
          service,
          port: p.nodePort,
          protocol: p.protocol ?? 'TCP',
          servicePort: p.name || String(p.port),
          family,
        },
      });
    }
  }
  return out;
}

class Table implements ServiceTable {
  private readonly all: Frontend[] = [];
  private readonly byService = new Map<string, Frontend[]>();
  /** address . protocol . port -> frontend (ClusterIP, ExternalIP, LoadBalancer). */
  private readonly byAddress = new Map<string, Frontend>();
  /** family . protocol . nodePort -> frontend. */
  private readonly nodePorts = new Map<string, Frontend>();
  /** Address -> the Service holding it, for any port. */
  private readonly owners = new Map<string, Owner>();
  /** The `cluster-ips` set: every proxied cluster IP. */
  private readonly clusterIPKeys = new Set<string>();
  /** A node's primary address -> the node (the `nodeport-ips` set of every node at once). */
  private readonly nodeByAddress = new Map<string, { node: string; address: string }>();
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly names: string[];

  constructor(
    store: Store,
    readonly config: ClusterConfig,
  ) {
    for (const node of store.list('Node')) {
      const info = nodeInfo(node);
      this.nodes.set(info.name, info);
      for (const address of Object.values(info.addresses)) {
        const ip = parseIP(address) as IP;
        // Two nodes reporting one address is warned about by the nodes controller; the first keeps it.
        if (!this.nodeByAddress.has(ipKey(ip)))
          this.nodeByAddress.set(ipKey(ip), { node: info.name, address });
      }
    }
    this.names = [...this.nodes.keys()].sort();

    const services = store.list('Service').filter(isProxied);
    services.sort((a, b) => {
      const an = a.metadata.namespace as string;
      const bn = b.metadata.namespace as string;
      if (an !== bn) return an < bn ? -1 : 1;
      return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
    });
    for (const svc of services) {
      const list: Frontend[] = [];
      for (const { frontend, address } of serviceFrontends(svc)) {
        list.push(frontend);
        this.all.push(frontend);
        if (!address) {
          const key = nodePortKey(frontend.family, frontend.protocol, frontend.port);
          if (!this.nodePorts.has(key)) this.nodePorts.set(key, frontend);
          continue;
        }
        // One address, port and protocol claimed twice (two Services with one external IP):
        // kube-proxy's map keeps whichever it wrote last; here the first Service by name wins.
        const key = addressKey(address, frontend.protocol, frontend.port);
        if (!this.byAddress.has(key)) this.byAddress.set(key, frontend);
        const ak = ipKey(address);
        if (!this.owners.has(ak)) this.owners.set(ak, { ...frontend.service, kind: frontend.kind });
        if (frontend.kind === 'ClusterIP') this.clusterIPKeys.add(ak);
      }
      this.byService.set(`${svc.metadata.namespace}/${svc.metadata.name}`, list);
    }
  }

  match(ip: IP, port: number, protocol: Protocol): Frontend | undefined {
    // The services chain asks the service-ips map first, then the NodePort map on local addresses.
    const found = this.byAddress.get(addressKey(ip, protocol, port));
    if (found) return found;
    const node = this.nodeByAddress.get(ipKey(ip));
    if (!node) return undefined;
    const np = this.nodePorts.get(nodePortKey(ip.family, protocol, port));
    return np ? { ...np, ip: node.address, node: node.node } : undefined;
  }

  serviceAt(ip: IP): Owner | undefined {
    return this.owners.get(ipKey(ip));
  }

  frontends(): readonly Frontend[] {
    return this.all;
  }

  frontendsOf(namespace: string, name: string): readonly Frontend[] {
    return this.byService.get(`${namespace}/${name}`) ?? [];
  }

  miss(ip: IP, port: number, protocol: Protocol): Miss | undefined {
    const key = ipKey(ip);
    const owner = this.owners.get(key);
    if (owner && this.clusterIPKeys.has(key)) {
      const served = this.frontendsOf(owner.namespace, owner.name)
        .filter((f) => f.kind === 'ClusterIP' && f.family === ip.family)
        .map((f) => `${f.port}/${f.protocol}`);
      return {
        outcome: 'reject',
        reason:
          `${formatIP(ip)} is the cluster IP of Service ${owner.namespace}/${owner.name}, which does not serve ` +
          `${port}/${protocol} (it serves ${served.join(', ') || 'no port'}): kube-proxy rejects the connection`,
      };
    }
    const cidr = this.config.serviceSubnets.find((c) => cidrContains(c, ip));
    if (cidr) {
      return {
        outcome: 'drop',
        reason: `no Service has the cluster IP ${formatIP(ip)} (service CIDR ${formatCIDR(cidr)}): kube-proxy drops traffic to unallocated cluster IPs`,
      };
    }
    return undefined;
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  nodeNames(): readonly string[] {
    return this.names;
  }
}

/** The frontends of every proxied Service in the store, indexed for lookups. */
export function computeServiceTable(store: Store, config: ClusterConfig): ServiceTable {
  return new Table(store, config);
}
