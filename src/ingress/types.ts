// The Ingress routing table as plain data (see docs/ingress.md): which Ingresses the controller
// serves, one virtual server per host with its locations in the order the controller tries them,
// the certificate each host presents, and the answer to one HTTP(S) request. `trace` explains a
// URL with `route`; the lab's HTTP proxy serves from the same servers and locations.

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface IngressTableOptions {
  /** `--ingress-class NAME`: play the controller of this class instead of the default class's. */
  ingressClass?: string;
}

export interface IgnoredIngress {
  /** `ns/name`. */
  ingress: string;
  reason: string;
}

/** What a path (or spec.defaultBackend) sends traffic to. */
export type IngressBackendRef =
  | { service: { namespace: string; name: string; port: string | number } }
  /** Resource backends (`spec...backend.resource`): no controller podnet models can serve them. */
  | { resource: { apiGroup?: string; kind: string; name: string }; unsupported: true };

/** One place in a virtual server a request can land. */
export interface IngressLocation {
  /** `ns/name` of the Ingress it comes from; absent for the controller's own default location. */
  readonly ingress?: string;
  /** Index into the Ingress's spec.rules and that rule's http.paths; absent for a default location. */
  readonly rule?: number;
  readonly pathIndex?: number;
  /** The path as written (an empty path is `/`, as ingress-nginx reads it). */
  readonly path: string;
  /** The pathType as written. ImplementationSpecific matches as Prefix (ingress-nginx). */
  readonly pathType: PathType;
  /**
   * How the location matches: `Exact`; `Prefix` (element-wise, trailing slash ignored); `Regex`
   * (a case-insensitive regular expression anchored at the path's start, on hosts where any
   * Ingress asks for regular expressions).
   */
  readonly match: 'Exact' | 'Prefix' | 'Regex';
  /** Absent: the controller's default backend, which answers 404. */
  readonly backend?: IngressBackendRef;
  /** The host's root location, reached when no path matches (spec.defaultBackend or the 404). */
  readonly default?: true;
  /** The location redirects plain HTTP to HTTPS when the host has a certificate (ssl-redirect). */
  readonly sslRedirect: boolean;
  /** The location redirects plain HTTP to HTTPS even without a certificate (force-ssl-redirect). */
  readonly forceSSLRedirect: boolean;
  /** Regex locations: the expression, anchored at the start, matched case-insensitively. */
  readonly expression?: string;
  /** Regex locations: why the expression cannot be used (it then matches nothing). */
  readonly problem?: string;
}

/** The certificate a host presents. */
export interface IngressServerTLS {
  /** `ns/name` of the Secret whose certificate is served; absent when it is the default one. */
  readonly secret?: string;
  /** The Ingress whose spec.tls decided. */
  readonly ingress: string;
  /** Why the controller serves its default (fake) certificate instead of a Secret's. */
  readonly problem?: string;
}

/** One virtual server: a host from the rules, or the catch-all server (host ''). */
export interface IngressServer {
  /** The rule host as written (`*.example.com` kept); '' for the catch-all server. */
  readonly host: string;
  /**
   * Locations in an order where the first that matches wins (Exact/Prefix: longest first, Exact
   * before Prefix; regex hosts: the controller's order). Locations with a resource backend are
   * listed but skipped: ingress-nginx has no location for them.
   */
  readonly locations: readonly IngressLocation[];
  /** Whether locations match as regular expressions (use-regex or rewrite-target on the host). */
  readonly regex: boolean;
  /**
   * Set when an Ingress with rules for the host has a TLS section (the oldest such decides): the
   * certificate the host presents (a Secret's, or the default one and why); plain HTTP redirects.
   */
  readonly tls?: IngressServerTLS;
}

/** The same host and path in two Ingresses: the older keeps it, as ingress-nginx does. */
export interface IngressConflict {
  readonly host: string;
  readonly path: string;
  readonly pathType: PathType;
  /**
   * The location kept and the one dropped: `ns/name` with rule and path indexes (none for the
   * catch-all '/' an Ingress without rules takes with its spec.defaultBackend).
   */
  readonly kept: { ingress: string; rule?: number; pathIndex?: number };
  readonly dropped: { ingress: string; rule?: number; pathIndex?: number };
}

export interface IngressTable {
  /** The IngressClasses podnet serves (DESIGN.md "Ingresses served"), sorted. */
  readonly classes: readonly string[];
  readonly ignored: readonly IgnoredIngress[];
  /** The served Ingresses, `ns/name`, oldest first (the order that decides conflicts). */
  readonly served: readonly string[];
  /** Every host with rules, sorted; wildcard hosts as written. */
  readonly hosts: readonly string[];
  /**
   * What the served Ingresses' status.loadBalancer shows: the addresses a snapshot carries, else
   * `localhost`, as kind's ingress-nginx deployment publishes (--publish-status-address).
   */
  readonly addresses: readonly string[];
  /** Where the controller listens: hostPorts 80 and 443 on this node (kind's ingress-ready node). */
  readonly listener?: { readonly node: string; readonly ips: readonly string[] };
  /** Virtual servers, catch-all first, then by host. */
  readonly servers: readonly IngressServer[];
  readonly conflicts: readonly IngressConflict[];
  route(request: IngressRequest): IngressRoute;
}

export interface IngressRequest {
  /** The Host header (for https also the SNI name); case and a port are ignored. */
  host: string;
  /** The request target's path, as sent (query and percent-encoding allowed). */
  path: string;
  scheme: 'http' | 'https';
}

export interface IngressRoute {
  /** True when the request is proxied to a Service (its endpoints are the services layer's call). */
  matched: boolean;
  /**
   * Set when the controller answers itself: 404 from its default backend, 308 redirecting plain
   * HTTP to HTTPS, 400 for a request nginx refuses to parse.
   */
  status?: 400 | 404 | 308;
  /** For 308: where the client is sent. */
  redirect?: string;
  /** `ns/name` of the Ingress whose rule (or spec.defaultBackend) decided. */
  ingress?: string;
  rule?: number;
  pathIndex?: number;
  /** The rule host that matched, wildcard as written; absent on the catch-all server. */
  host?: string;
  pathType?: PathType;
  path?: string;
  backend?: IngressBackendRef;
  /** Routed by the Ingress's spec.defaultBackend. */
  defaultBackend?: boolean;
  /** https only: the certificate presented for the SNI name. */
  tls?: { secret?: string; host: string; problem?: string };
  /** One sentence saying why. */
  reason: string;
}
