// computeIngressTable: one snapshot of objects in, the routing table out (docs/ingress.md).
// `route` answers one request as the controller would: the server for the Host header (an exact
// host, else the wildcard one label up, else the catch-all server), the location for the
// normalised path, a redirect to HTTPS where the host has a certificate, and the certificate for
// the SNI name. Servers are indexed by host and matchers built on first use, so a request costs a
// few map lookups, whatever the number of Ingresses.

import { type Node, objectKey } from '../api/types.js';
import type { Store } from '../store/store.js';
import { selectIngresses } from './classes.js';
import { LocationMatcher } from './match.js';
import { isAddressHost, parseHost, parsePath } from './request.js';
import { buildServers } from './servers.js';
import type {
  IngressLocation,
  IngressRequest,
  IngressRoute,
  IngressServer,
  IngressTable,
  IngressTableOptions,
} from './types.js';

/** ingress-nginx's server name for `*.example.com`: `~^(?<subdomain>[\w-]+)\.example\.com$`. */
const WILDCARD_LABEL = /^[\w-]+$/;

/** kind's ingress guide labels the node the controller may run on (its nodeSelector). */
const INGRESS_READY_LABEL = 'ingress-ready';
const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

function byName(a: Node, b: Node): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** The node whose hostPorts 80 and 443 the controller holds, as kind's ingress-nginx deploys it. */
function listenerOf(store: Store): IngressTable['listener'] {
  const nodes = store.list('Node').sort(byName);
  const node =
    nodes.find((n) => n.metadata.labels?.[INGRESS_READY_LABEL] === 'true') ??
    nodes.find((n) => n.metadata.labels?.[CONTROL_PLANE_LABEL] !== undefined) ??
    nodes[0];
  if (!node) return undefined;
  const ips = (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address);
  return { node: node.metadata.name, ips };
}

class Table implements IngressTable {
  readonly classes: readonly string[];
  readonly ignored: IngressTable['ignored'];
  readonly served: readonly string[];
  readonly hosts: readonly string[];
  readonly addresses: readonly string[];
  readonly listener: IngressTable['listener'];
  readonly servers: readonly IngressServer[];
  readonly conflicts: IngressTable['conflicts'];
  private readonly exact = new Map<string, IngressServer>();
  /** Wildcard servers by the domain under the wildcard: `example.com` for `*.example.com`. */
  private readonly wildcard = new Map<string, IngressServer>();
  private readonly catchAll: IngressServer;
  private readonly matchers = new Map<IngressServer, LocationMatcher>();

  constructor(store: Store, options: IngressTableOptions) {
    const { classes, served, ignored } = selectIngresses(store, options);
    const { servers, conflicts } = buildServers(served, store);
    this.classes = classes;
    this.ignored = ignored;
    this.served = served.map(objectKey);
    this.servers = servers;
    this.conflicts = conflicts;
    this.hosts = servers.filter((s) => s.host !== '').map((s) => s.host);
    this.catchAll = servers[0];
    for (const s of servers) {
      if (s.host.startsWith('*.')) this.wildcard.set(s.host.slice(2), s);
      else if (s.host !== '') this.exact.set(s.host, s);
    }
    const published = new Set<string>();
    for (const ing of served)
      for (const lb of ing.status?.loadBalancer?.ingress ?? []) {
        const a = lb.ip || lb.hostname;
        if (a) published.add(a);
      }
    this.addresses = published.size ? [...published].sort() : ['localhost'];
    this.listener = listenerOf(store);
  }

  private serverFor(host: string): IngressServer {
    const exact = this.exact.get(host);
    if (exact) return exact;
    const dot = host.indexOf('.');
    const wildcard =
      dot > 0 && WILDCARD_LABEL.test(host.slice(0, dot)) ? this.wildcard.get(host.slice(dot + 1)) : undefined;
    return wildcard ?? this.catchAll;
  }

  /**
   * The certificate configured for a name (certificate.lua): the host's own server if it has a
   * TLS section, else the wildcard server one label up; the default certificate otherwise.
   */
  private tlsServerFor(host: string): IngressServer | undefined {
    const own =
      this.exact.get(host) ?? (host.startsWith('*.') ? this.wildcard.get(host.slice(2)) : undefined);
    if (own?.tls) return own;
    const dot = host.indexOf('.');
    const up = dot > 0 ? this.wildcard.get(host.slice(dot + 1)) : undefined;
    return up?.tls ? up : undefined;
  }

  private matcher(server: IngressServer): LocationMatcher {
    let m = this.matchers.get(server);
    if (!m) {
      m = new LocationMatcher(server);
      this.matchers.set(server, m);
    }
    return m;
  }

  route(request: IngressRequest): IngressRoute {
    const host = parseHost(request.host);
    if (!host.ok) return { matched: false, status: 400, reason: `nginx refuses the request: ${host.reason}` };
    const path = parsePath(request.path);
    if (!path.ok) return { matched: false, status: 400, reason: `nginx refuses the request: ${path.reason}` };
    const server = this.serverFor(host.value);
    const { location, skipped } = this.matcher(server).match(path.value);
    const tlsServer = this.tlsServerFor(host.value);
    const out = describe(server, location, path.value, skipped);
    if (request.scheme === 'https') out.tls = this.certificate(host.value, tlsServer);
    else if (location.forceSSLRedirect || (location.sslRedirect && tlsServer)) {
      out.matched = false;
      out.status = 308;
      out.redirect = redirectTo(request);
      out.reason =
        location.forceSSLRedirect && !tlsServer
          ? `${where(location)} forces HTTPS (force-ssl-redirect): the controller redirects plain HTTP with 308`
          : `${host.value} has a TLS section (Ingress ${tlsServer?.tls?.ingress}): the controller redirects plain HTTP to HTTPS with 308`;
    }
    return out;
  }

  private certificate(host: string, server: IngressServer | undefined): IngressRoute['tls'] {
    if (isAddressHost(host))
      return {
        host,
        problem:
          'clients send no SNI name for an address: the controller presents its default (fake) certificate',
      };
    const tls = server?.tls;
    if (!tls)
      return {
        host,
        problem: `no served Ingress lists ${host} under spec.tls: the controller presents its default (fake) certificate`,
      };
    if (tls.problem)
      return { host, problem: `${tls.problem}: the controller presents its default (fake) certificate` };
    return { secret: tls.secret, host };
  }
}

/** `ns/x path /api (Prefix)`, or `the controller's default backend`. */
function where(loc: IngressLocation): string {
  if (loc.rule === undefined)
    return loc.ingress ? `spec.defaultBackend of Ingress ${loc.ingress}` : "the host's root";
  return `Ingress ${loc.ingress} spec.rules[${loc.rule}].http.paths[${loc.pathIndex}] (${loc.path}, ${loc.pathType})`;
}

function hostWords(server: IngressServer): string {
  return server.host
    ? `host ${server.host}`
    : 'the catch-all server (rules without a host, and hosts no rule names)';
}

/** A route to a location: which Ingress, rule and path decided, and the backend. */
function routeTo(server: IngressServer, loc: IngressLocation, reason: string, status?: 404): IngressRoute {
  // Fields are added in one order so every route has the same shape (routes are a hot path).
  const out: IngressRoute = { matched: status === undefined, reason };
  if (status !== undefined) out.status = status;
  if (server.host) out.host = server.host;
  if (loc.ingress !== undefined) out.ingress = loc.ingress;
  if (loc.rule !== undefined) {
    out.rule = loc.rule;
    out.pathIndex = loc.pathIndex;
    out.pathType = loc.pathType;
    out.path = loc.path;
  }
  if (loc.backend) out.backend = loc.backend;
  if (loc.default && loc.backend) out.defaultBackend = true;
  return out;
}

function describe(
  server: IngressServer,
  loc: IngressLocation,
  path: string,
  skipped: IngressLocation | undefined,
): IngressRoute {
  const note = skipped
    ? ` (${where(skipped)} matches first, but ingress-nginx has no location for its resource backend)`
    : '';
  if (!loc.default)
    return routeTo(server, loc, `${where(loc)} is the best match for ${path} on ${hostWords(server)}${note}`);
  if (skipped && !loc.backend)
    return routeTo(
      server,
      skipped,
      `${where(skipped)} matches ${path}, but its backend is a resource, which ingress-nginx does not serve: its default backend answers 404`,
      404,
    );
  const none = `no path of ${hostWords(server)} matches ${path}`;
  if (!loc.backend) return routeTo(server, loc, `${none}: the controller's default backend answers 404`, 404);
  if ('resource' in loc.backend)
    return routeTo(
      server,
      loc,
      `${none}; ${where(loc)} is a resource, which ingress-nginx does not serve: 404`,
      404,
    );
  return routeTo(server, loc, `${none}: ${where(loc)} serves it${note}`);
}

/**
 * lua_ingress.rewrite: `https://` + the Host header up to its first ':' + the request URI as
 * sent, one trailing slash dropped (preserve-trailing-slash is off by default).
 */
function redirectTo(request: IngressRequest): string {
  const uri = request.path.endsWith('/') ? request.path.slice(0, -1) : request.path;
  return `https://${request.host.split(':')[0]}${uri}`;
}

export function computeIngressTable(store: Store, options: IngressTableOptions = {}): IngressTable {
  return new Table(store, options);
}
