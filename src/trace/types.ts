// What `podnet trace` answers, as plain JSON (DESIGN.md "JSON shapes", `trace -o json`): the
// verdict and the hops a connection takes, each hop saying what it decided and why.
//
// Hops come in the order a packet meets them: the source; a DNS lookup; for a URL that reaches
// the ingress controller, its routing (and the controller then opens a second connection, whose
// hops follow); the address translation on the way (a Service's frontend and endpoint choice, a
// hostPort, or the controller's own choice of upstream); the egress policy at the source and
// the ingress policy at the destination, both on the translated connection, as enforcement sees
// it; and the delivery.

import type { Protocol } from '../api/types.js';
import type { Rcode } from '../dns/types.js';
import type { IngressBackendRef, PathType } from '../ingress/types.js';
import type { AdminTier, PolicyDirection, RuleAction, VerdictReason } from '../netpol/types.js';
import type {
  EndpointCandidate,
  ExclusionReason,
  Frontend,
  Selection,
  ServiceRoute,
  SNATReason,
} from '../services/types.js';

/**
 * `delivered`: the connection reaches its destination (for a URL: a response from a backend,
 * or the controller's redirect); `denied`: a policy drops it; `no-endpoints`: a Service has no
 * endpoint to send it to; `no-route`: nothing forwards it (an unserved port of a Service
 * address, a Local traffic policy without a local endpoint, no Ingress rule); `nxdomain`: the
 * name does not resolve; `refused`: the cluster DNS does not answer for the name.
 */
export type TraceVerdict = 'delivered' | 'denied' | 'no-endpoints' | 'no-route' | 'nxdomain' | 'refused';

/** A connection end in output: who it is, and the address the connection uses. */
export type EndRef =
  /** A pod on the pod network, on its node. */
  | { readonly kind: 'pod'; readonly pod: string; readonly ip: string; readonly node?: string }
  /** A node's own address; `pod` names the hostNetwork pod speaking with it, if any. */
  | { readonly kind: 'node'; readonly node: string; readonly ip: string; readonly pod?: string }
  /** An address outside the cluster. */
  | { readonly kind: 'external'; readonly ip: string };

/** A rule that matched, located in its policy's YAML. */
export interface RuleRef {
  /** `NetworkPolicy/ns/name`, `ClusterNetworkPolicy/name` (policyRefString). */
  readonly policy: string;
  readonly action: RuleAction;
  /** Index into spec.ingress or spec.egress. */
  readonly rule: number;
  /** The rule's name (ClusterNetworkPolicy, AdminNetworkPolicy). */
  readonly ruleName?: string;
  /** Admin tiers: the policy's priority. */
  readonly priority?: number;
  /** Index into the rule's from/to list; absent when the rule has none (every peer matches). */
  readonly peer?: number;
  /** Index into the rule's ports (protocols) list; absent when it has none (every port matches). */
  readonly port?: number;
  /** The rule's field path: `spec.ingress[0]`. */
  readonly field: string;
  /** The matching peer's field path: `spec.ingress[0].from[1]`. */
  readonly peerField?: string;
  /** The matching port entry's field path: `spec.ingress[0].ports[0]`. */
  readonly portField?: string;
}

export interface SourceHop {
  readonly kind: 'source';
  readonly endpoint: EndRef;
}

/** One record of an answer, as `podnet dns -o json` prints it. */
export interface AnswerRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly data: string;
}

/** The client's name lookup: every name its resolver tried, and the answer it got. */
export interface DNSHop {
  readonly kind: 'dns';
  readonly question: { readonly name: string; readonly type: 'A' | 'AAAA' };
  /**
   * Whose resolver: a pod's (its resolv.conf search list and ndots), or absolute, as nodes and
   * outside clients ask (`searches` empty).
   */
  readonly resolver: {
    readonly pod?: string;
    readonly searches: readonly string[];
    readonly ndots: number;
    /** Set when the pod's resolver asks another server than the cluster DNS. */
    readonly elsewhere?: string;
  };
  /** Each name queried and its rcode, in order; `not-sent` for a name too long to ask. */
  readonly searched: readonly { readonly name: string; readonly rcode: Rcode | 'not-sent' | 'no-answer' }[];
  /** The answer glibc returns: the name and rcode of the query that ended the search. */
  readonly name: string;
  /** `no-answer`: the query got no response (see `unanswered`). */
  readonly rcode: Rcode | 'not-sent' | 'no-answer';
  readonly answers: readonly AnswerRecord[];
  /** The address the client connects to: the first address record of the answer. */
  readonly address?: string;
  /**
   * Set when the query itself never gets an answer: the pod's query to the cluster DNS (53/UDP,
   * through kube-proxy to a CoreDNS pod) is denied by a policy, or finds no CoreDNS endpoint.
   */
  readonly unanswered?: DNSUnanswered;
  /** A hint for the reader: how to follow the name another way (an Ingress host: from external). */
  readonly hint?: string;
}

/** Why a pod's query to the cluster DNS gets no answer. */
export interface DNSUnanswered {
  /** The cluster DNS address and port the query goes to: `10.96.0.10:53/UDP`. */
  readonly server: string;
  /** `denied`: a policy drops the query (it times out); `no-endpoints`/`no-route`: nothing serves it. */
  readonly outcome: 'denied' | 'no-endpoints' | 'no-route';
  /** The Service in front of the CoreDNS pods (`kube-system/kube-dns`), and the pod chosen. */
  readonly service?: string;
  readonly chosen?: EndRef;
  readonly reason: string;
  /** The policy verdicts on the query (after kube-proxy's DNAT), when it reached a CoreDNS pod. */
  readonly egress?: PolicyHop;
  readonly ingress?: PolicyHop;
}

/** How the ingress controller takes part: who it is on the network, and what it serves. */
export interface IngressController {
  /** The IngressClass controller podnet plays: `k8s.io/ingress-nginx`, ... */
  readonly name: string;
  /** The classes served. */
  readonly classes: readonly string[];
  /**
   * `pod`: an ingress-nginx controller pod of the cluster; `host`: podnet plays the controller
   * as a process on a node (as kind's ingress-nginx listens on hostPorts 80 and 443 there).
   */
  readonly mode: 'pod' | 'host';
  /** The end its connections to backends come from. */
  readonly endpoint: EndRef;
}

/** The ingress controller's routing of one HTTP(S) request. */
export interface IngressHop {
  readonly kind: 'ingress';
  readonly request: {
    readonly scheme: 'http' | 'https';
    readonly host: string;
    readonly port: number;
    readonly path: string;
  };
  /** How the client reached the controller: a public name taken to point at it, or an address. */
  readonly via: 'name' | 'address';
  readonly controller: IngressController;
  readonly matched: boolean;
  /** Set when the controller answers itself (404, 308, 400). */
  readonly status?: number;
  readonly redirect?: string;
  readonly ingress?: string;
  readonly rule?: number;
  readonly pathIndex?: number;
  readonly host?: string;
  readonly pathType?: PathType;
  readonly path?: string;
  readonly backend?: IngressBackendRef;
  readonly defaultBackend?: boolean;
  readonly tls?: { readonly secret?: string; readonly host: string; readonly problem?: string };
  /**
   * Set when the URL's scheme does not match the listener it reached (plain HTTP to the TLS
   * port: 400; TLS to the plain port: the handshake fails): the listener's port and protocol.
   */
  readonly listener?: { readonly port: number; readonly tls: boolean };
  readonly reason: string;
  /** Ingresses of other classes with a rule for the request's host, and why they are ignored. */
  readonly ignored: readonly { readonly ingress: string; readonly reason: string }[];
}

/** kube-proxy's handling of a connection to one of a Service's frontends. */
export interface ServiceHop {
  readonly kind: 'service';
  /** `ns/name`. */
  readonly service: string;
  readonly frontend: Frontend;
  readonly outcome: ServiceRoute['outcome'];
  readonly reason: string;
  readonly candidates: readonly EndpointCandidate[];
  readonly excluded: ServiceRoute['excluded'];
  readonly selection: Selection;
  readonly policy: ServiceRoute['policy'];
  /** The node whose kube-proxy handles the packet. */
  readonly node?: string;
  readonly proxiedBy?: string;
  /** The candidate the connection lands on (forward only). */
  readonly chosen?: EndpointCandidate;
  readonly nat: ServiceRoute['nat'];
  /** The source address the endpoint sees. */
  readonly source: string;
  readonly sessionAffinity?: ServiceRoute['sessionAffinity'];
  readonly healthCheckNodePort?: number;
}

/** A Service's address on a port no frontend serves, or an unallocated address of the service CIDR. */
export interface ServiceMissHop {
  readonly kind: 'service-miss';
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** The Service owning the address, if any (`ns/name`). */
  readonly service?: string;
  /** reject: connection refused (ICMP port unreachable); drop: the client times out. */
  readonly outcome: 'reject' | 'drop';
  readonly reason: string;
}

/**
 * A connection from outside the cluster to an address the outside cannot reach: a pod IP or a
 * cluster IP (the pod and service networks are not routed outside a kind-like cluster), or an
 * address that is no part of the cluster at all.
 */
export interface UnroutedHop {
  readonly kind: 'unrouted';
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** `pod-network`, `service-network`, or `outside` (not an address of this cluster). */
  readonly why: 'pod-network' | 'service-network' | 'outside';
  readonly reason: string;
}

/** A node port forwarded to a pod by `hostPort` (the CNI portmap plugin's DNAT). */
export interface HostPortHop {
  readonly kind: 'host-port';
  readonly node: string;
  readonly ip: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** The pod and container declaring the hostPort, and the containerPort it forwards to. */
  readonly pod: string;
  readonly container: string;
  readonly hostIP?: string;
  readonly nat: {
    readonly dnat: { readonly ip: string; readonly port: number };
    /** portmap masquerades only a pod reaching itself through its own hostPort (hairpin). */
    readonly snat?: { readonly to: string; readonly why: 'hairpin' };
  };
}

/**
 * The ingress controller's choice of upstream: ingress-nginx balances over the ready endpoints
 * of the backend Service port itself and connects to the pod directly, not through the
 * cluster IP (unless the Ingress asks for `service-upstream`; then a service hop stands here).
 */
export interface UpstreamHop {
  readonly kind: 'upstream';
  readonly service: string;
  /** The backend port as the Ingress names it (number or name), as text. */
  readonly servicePort: string;
  /** Ready endpoints, each equally likely. */
  readonly candidates: readonly EndpointCandidate[];
  readonly excluded: readonly { readonly endpoint: EndpointCandidate; readonly why: ExclusionReason }[];
  readonly chosen?: EndpointCandidate;
  readonly reason: string;
}

/** How the source address was rewritten before the destination saw it. */
export interface Masquerade {
  /** The client as it was before SNAT. */
  readonly client: EndRef;
  readonly by: 'kube-proxy' | 'portmap' | 'load-balancer';
  readonly why: SNATReason | 'hairpin';
  /**
   * Whether the rewrite decides the verdict: policies would have decided the other way on the
   * client's own address.
   */
  readonly decides: boolean;
}

/** One direction's verdict (netpol DirectionVerdict), at the end where it is enforced. */
export interface PolicyHop {
  readonly kind: 'egress-policy' | 'ingress-policy';
  readonly direction: PolicyDirection;
  /** The end enforcing: the source for egress, the destination for ingress. */
  readonly endpoint: EndRef;
  /**
   * The other end as this direction sees it: after DNAT for egress, after SNAT for ingress. Every
   * trace hop has it; `podnet test` prints the same hop without it (its peer is the other hop's end).
   */
  readonly peer?: EndRef;
  /** The destination port and protocol as policies see them (after any DNAT). */
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  readonly reason: VerdictReason;
  /** The layer that decided; absent when none did (not enforced, own node, default allow). */
  readonly tier?: AdminTier | 'NetworkPolicy';
  /** The NetworkPolicies isolating the pod in this direction. */
  readonly isolatedBy: readonly string[];
  /** The deciding Admin/Baseline rule, or every NetworkPolicy rule that allows. */
  readonly decidedBy: readonly RuleRef[];
  /** Admin tier rules with action Pass that matched first. */
  readonly passedBy: readonly RuleRef[];
  /** Ingress only: the source seen is not the client's own address. */
  readonly masquerade?: Masquerade;
}

/** Where the connection arrives, and whether anything there declares the port. */
export interface DeliveryHop {
  readonly kind: 'delivery';
  readonly endpoint: EndRef;
  readonly port: number;
  readonly protocol: Protocol;
  /**
   * Whether a container declares port/protocol: the destination pod's containers, or on a node
   * the hostNetwork pods there. Absent for outside addresses, which the model does not know.
   * False does not stop the connection at the network level; it says nothing is known to listen.
   */
  readonly declared?: boolean;
  /** The pod whose container declares the port (for a node: a hostNetwork pod on it). */
  readonly pod?: string;
  readonly container?: string;
  /** The declared port's name. */
  readonly portName?: string;
}

export type Hop =
  | SourceHop
  | DNSHop
  | IngressHop
  | ServiceHop
  | ServiceMissHop
  | UnroutedHop
  | HostPortHop
  | UpstreamHop
  | PolicyHop
  | DeliveryHop;

/** What an HTTP client gets for a URL. */
export interface HTTPResult {
  /** The response status; absent when no response comes back (no name, refused, timed out). */
  readonly status?: number;
  /** The Service that answers: the Ingress backend, or the Service the URL's host reached. */
  readonly backend?: { readonly service: string; readonly port: string };
  /** A 308's Location. */
  readonly redirect?: string;
}

export interface Trace {
  readonly kind: 'Trace';
  readonly verdict: TraceVerdict;
  readonly hops: readonly Hop[];
  /** Where the connection was delivered (absent unless delivered). */
  readonly endpoint?: { readonly pod?: string; readonly ip: string; readonly port: number };
  /** URLs only. */
  readonly http?: HTTPResult;
}
