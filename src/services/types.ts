// What kube-proxy (nftables mode) decides, as plain data: the frontends it captures (a table a
// ruleset renderer can walk and a trace can look up), and for one client and one frontend, the
// endpoints it may pick, with what weight, and the NAT on the way (docs/services.md).

import type { ClusterConfig } from '../api/cluster-config.js';
import type { Protocol } from '../api/types.js';
import type { IP, IPFamily } from '../ip/index.js';

export type FrontendKind = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIP';

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
}

/** One address/port/protocol kube-proxy captures for a Service port (one row of its maps). */
export interface Frontend {
  readonly kind: FrontendKind;
  readonly service: ServiceRef;
  /**
   * The captured address. Absent on a NodePort in the table (every node's primary address of
   * `family`); a NodePort that `match` found carries the address it was hit on, and `node`.
   */
  readonly ip?: string;
  /** The Service port, or the nodePort for kind NodePort. */
  readonly port: number;
  readonly protocol: Protocol;
  /** The Service port's name, or its number as text when it has none. */
  readonly servicePort: string;
  /** kube-proxy runs one proxier per family; a frontend belongs to one of them. */
  readonly family: IPFamily;
  /** NodePort found by `match`: the node whose address was hit (where the NAT happens). */
  readonly node?: string;
  /**
   * LoadBalancer only: `status.loadBalancer.ingress[].ipMode`. `Proxy` means the load balancer
   * proxies connections itself: kube-proxy programs no rule for the address, so traffic to it
   * leaves the cluster and comes back from the load balancer, even from inside.
   */
  readonly ipMode?: 'VIP' | 'Proxy';
}

/** What kube-proxy does with a packet to one of its addresses that no frontend matches. */
export interface Miss {
  /** reject: ICMP port unreachable (connection refused); drop: silently discarded. */
  readonly outcome: 'reject' | 'drop';
  readonly reason: string;
}

/** A node as kube-proxy sees it: its primary address per family and its zone label. */
export interface NodeInfo {
  readonly name: string;
  readonly zone?: string;
  /** GetNodeHostIPs: the first InternalIP of each family (else the first ExternalIP), canonical text. */
  readonly addresses: Readonly<Partial<Record<IPFamily, string>>>;
}

export interface ServiceTable {
  /** The cluster the table was computed for (pod CIDRs decide what kube-proxy treats as pod traffic). */
  readonly config: ClusterConfig;
  /** The frontend a packet to ip:port/protocol hits (node IPs with NodePorts, LB IPs, externalIPs, cluster IPs); undefined when none. */
  match(ip: IP, port: number, protocol: Protocol): Frontend | undefined;
  /** A Service owning this address on any port (for "that port is not exposed by Service X" answers). */
  serviceAt(ip: IP): (ServiceRef & { readonly kind: FrontendKind }) | undefined;
  /** Every frontend: Services by namespace/name; per Service cluster IPs, external IPs, load-balancer IPs, NodePorts. */
  frontends(): readonly Frontend[];
  frontendsOf(namespace: string, name: string): readonly Frontend[];
  /** When `match` finds nothing: kube-proxy's verdict on a cluster IP or service CIDR address, else undefined. */
  miss(ip: IP, port: number, protocol: Protocol): Miss | undefined;
  /** The node of that name (undefined when the store has no such Node). */
  node(name: string): NodeInfo | undefined;
  /** Node names, sorted. */
  nodeNames(): readonly string[];
}

export interface ServiceClient {
  readonly kind: 'pod' | 'node' | 'external';
  readonly ip: IP;
  /** The client's node (pods, nodes); for external: the node that receives the packet for NodePort/LB/externalIP, chosen by the caller. */
  readonly node?: string;
}

export interface EndpointCandidate {
  /** `ns/name` of the pod behind the endpoint (the slice's targetRef), if any. */
  readonly pod?: string;
  readonly ip: string;
  /** The endpoint port: the slice port of the Service port's name, so a named targetPort is already resolved. */
  readonly port: number;
  readonly node?: string;
  readonly zone?: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** Probability 0..1 of being picked for a new connection; the candidates' weights sum to 1. */
  readonly weight: number;
}

/** Why an endpoint of the Service port is not a candidate for this client. */
export type ExclusionReason =
  /** Neither ready nor serving-and-terminating: kube-proxy never uses it. */
  | 'not-serving'
  /** Serving but terminating, while ready endpoints exist (the fallback is not needed). */
  | 'terminating'
  /** A Local traffic policy applies and the endpoint is on another node. */
  | 'not-local'
  /** Topology hints apply and the endpoint is hinted for another zone or node. */
  | 'not-hinted';

export interface ExcludedEndpoint {
  readonly endpoint: EndpointCandidate;
  readonly why: ExclusionReason;
}

/**
 * Why these candidates (pkg/proxy/topology.go CategorizeEndpoints): every ready endpoint; only
 * those hinted for the client node's zone or the node itself; the serving-and-terminating
 * fallback when nothing is ready; the node's own endpoints under a Local traffic policy (with
 * the same fallback); none.
 */
export type Selection =
  | 'ready'
  | 'same-zone'
  | 'same-node'
  | 'serving-terminating'
  | 'local'
  | 'local-serving-terminating'
  | 'none';

/**
 * Why the source address is rewritten:
 * - masquerade-external-cluster: NodePort/LB/externalIP traffic under externalTrafficPolicy Cluster
 *   is always masqueraded (the endpoint may be on another node);
 * - masquerade-node-local: a node's own traffic to an external address of a Local Service (the
 *   node would otherwise answer itself from the load-balancer address);
 * - off-cluster-source: traffic to a cluster IP from outside the pod network (a node, an outside
 *   client routed to the service CIDR);
 * - hairpin: a pod reaching a Service and landing on itself;
 * - load-balancer-proxy: an ipMode Proxy load balancer connects from its own address.
 */
export type SNATReason =
  | 'masquerade-external-cluster'
  | 'masquerade-node-local'
  | 'off-cluster-source'
  | 'hairpin'
  | 'load-balancer-proxy';

export interface NAT {
  /** The chosen endpoint (chooseEndpoint): the destination after DNAT. */
  readonly dnat?: { readonly ip: string; readonly port: number };
  /** The source after SNAT: what the endpoint, and NetworkPolicies at it, see. */
  readonly snat?: { readonly to: string; readonly why: SNATReason };
}

export interface ServiceRoute {
  readonly frontend: Frontend;
  /** reject: no endpoints at all (kube-proxy's reject: ICMP port unreachable); drop: a Local traffic policy with no local endpoint, or a source outside loadBalancerSourceRanges. */
  readonly outcome: 'forward' | 'reject' | 'drop';
  /** One or two sentences a user understands. */
  readonly reason: string;
  readonly candidates: readonly EndpointCandidate[];
  /** The Service port's other endpoints, and why each is not a candidate. */
  readonly excluded: readonly ExcludedEndpoint[];
  readonly selection: Selection;
  /** The traffic policy that governs this frontend and whether kube-proxy applied it or short-circuited it. */
  readonly policy: {
    readonly field: 'internalTrafficPolicy' | 'externalTrafficPolicy';
    readonly value: 'Cluster' | 'Local';
    /** Local policy bypassed: pod traffic (`pod`) or the node's own traffic (`node`) to an external address. */
    readonly shortCircuit?: 'pod' | 'node';
  };
  /** The node where kube-proxy handles the packet: the client's, or the one receiving it from outside. */
  readonly node?: string;
  /** The load balancer's address when an ipMode Proxy load balancer relays the connection. */
  readonly proxiedBy?: string;
  readonly nat: NAT;
  /** The source address the endpoint sees (after any SNAT). */
  readonly source: string;
  readonly sessionAffinity?: { readonly type: 'ClientIP'; readonly timeoutSeconds: number };
  /** LoadBalancer with externalTrafficPolicy Local: the port load balancers probe on each node. */
  readonly healthCheckNodePort?: number;
}
