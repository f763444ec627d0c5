// The virtual servers, built as ingress-nginx builds them (createServers, getBackendServers,
// updateServerLocations; docs/ingress.md "Hosts and precedence"). Ingresses are taken oldest first.
// Each host gets one server, created by the first Ingress with a rule for it, whose
// spec.defaultBackend serves the host's root '/' (else the controller's 404); rules without a host
// join the catch-all server. Every served Ingress's paths for a host merge into its server; the
// same path and type twice keeps the older. The oldest Ingress with a TLS section decides the
// host's certificate.

import { type Ingress, type IngressBackend, objectKey } from '../api/types.js';
import type { Store } from '../store/store.js';
import { type RoutingAnnotations, routingAnnotations, wantsRegex } from './annotations.js';
import { prefixKey } from './match.js';
import { CertificateCache, serverCertificate } from './tls.js';
import type {
  IngressBackendRef,
  IngressConflict,
  IngressLocation,
  IngressServer,
  IngressServerTLS,
  PathType,
} from './types.js';

/** The controller's own settings for a location no Ingress configures. */
const CONTROLLER_DEFAULTS: RoutingAnnotations = {
  useRegex: false,
  sslRedirect: true,
  forceSSLRedirect: false,
  canary: false,
};

interface Draft {
  ingress?: Ingress;
  rule?: number;
  pathIndex?: number;
  path: string;
  pathType: PathType;
  /** How ingress-nginx types it: ImplementationSpecific is Prefix (SetDefaultNGINXPathType). */
  exact: boolean;
  backend?: IngressBackendRef;
  default?: true;
  /** The catch-all '/' of an Ingress without rules, which rules cannot replace (not IsDefBackend). */
  claimed?: true;
  anns: RoutingAnnotations;
}

interface DraftServer {
  host: string;
  locations: Draft[];
  /** `exact|path` of each path location, for merging. */
  byPath: Map<string, Draft>;
  tls?: IngressServerTLS;
}

export function backendRef(namespace: string, b: IngressBackend | undefined): IngressBackendRef | undefined {
  if (b?.service) {
    const port = b.service.port?.number ?? b.service.port?.name ?? '';
    return { service: { namespace, name: b.service.name, port } };
  }
  if (b?.resource) return { resource: { ...b.resource }, unsupported: true };
  return undefined;
}

function isService(b: IngressBackendRef | undefined): boolean {
  return b !== undefined && 'service' in b;
}

function root(
  ing: Ingress | undefined,
  backend: IngressBackendRef | undefined,
  anns: RoutingAnnotations,
): Draft {
  return {
    ingress: backend ? ing : undefined,
    path: '/',
    pathType: 'Prefix',
    exact: false,
    backend,
    default: true,
    anns,
  };
}

function ref(d: Draft): IngressConflict['kept'] {
  const ingress = d.ingress ? objectKey(d.ingress) : '';
  return d.rule === undefined ? { ingress } : { ingress, rule: d.rule, pathIndex: d.pathIndex };
}

export interface BuiltServers {
  readonly servers: IngressServer[];
  readonly conflicts: IngressConflict[];
}

export function buildServers(served: readonly Ingress[], store: Store): BuiltServers {
  const catchAll: DraftServer = {
    host: '',
    locations: [root(undefined, undefined, CONTROLLER_DEFAULTS)],
    byPath: new Map(),
  };
  const servers = new Map<string, DraftServer>([['', catchAll]]);
  const conflicts: IngressConflict[] = [];

  for (const ing of served) {
    const anns = routingAnnotations(ing);
    const rules = ing.spec.rules ?? [];
    const def = backendRef(ing.metadata.namespace ?? 'default', ing.spec.defaultBackend);
    // An Ingress with only a defaultBackend configures the catch-all server: the oldest one wins,
    // and its '/' is then its own, no longer a default a rule may take. A resource backend, which
    // the controller cannot serve, claims nothing; it only explains the 404 there.
    const current = catchAll.locations[0];
    if (def && rules.length === 0 && !current.claimed && (current.ingress === undefined || isService(def)))
      catchAll.locations[0] = {
        ...root(ing, def, CONTROLLER_DEFAULTS),
        claimed: isService(def) || undefined,
      };
    for (const rule of rules) {
      const host = rule.host ?? '';
      if (!servers.has(host))
        servers.set(host, { host, locations: [root(ing, def, anns)], byPath: new Map() });
    }
  }

  const certs = new CertificateCache(store);
  for (const ing of served) {
    if (!ing.spec.tls?.length) continue;
    for (const rule of ing.spec.rules ?? []) {
      const server = servers.get(rule.host ?? '');
      // The catch-all server always presents the default certificate.
      if (!server || server.host === '' || server.tls) continue;
      server.tls = serverCertificate(server.host, ing, certs);
    }
  }

  for (const ing of served) {
    const anns = routingAnnotations(ing);
    const ns = ing.metadata.namespace ?? 'default';
    (ing.spec.rules ?? []).forEach((rule, ri) => {
      const server = servers.get(rule.host ?? '') as DraftServer;
      (rule.http?.paths ?? []).forEach((p, pi) => {
        const path = p.path || '/';
        const exact = p.pathType === 'Exact';
        const backend = backendRef(ns, p.backend);
        const draft: Draft = {
          ingress: ing,
          rule: ri,
          pathIndex: pi,
          path,
          pathType: p.pathType,
          exact,
          backend,
          anns,
        };
        // ingress-nginx creates no location for a resource backend; it is kept to explain a 404.
        if (!isService(backend)) {
          server.locations.push(draft);
          return;
        }
        const key = `${exact}|${path}`;
        const existing = path === '/' && !exact ? server.locations[0] : server.byPath.get(key);
        if (existing?.default && !existing.claimed) Object.assign(existing, draft, { default: undefined });
        else if (existing)
          conflicts.push({
            host: server.host,
            path,
            pathType: p.pathType,
            kept: ref(existing),
            dropped: ref(draft),
          });
        else {
          server.locations.push(draft);
          server.byPath.set(key, draft);
        }
      });
    });
  }

  const out: IngressServer[] = [];
  for (const host of [...servers.keys()].sort())
    out.push(finish(servers.get(host) as DraftServer, conflicts));
  return { servers: out, conflicts };
}

/** Orders a server's locations so that the first match wins, and writes them out. */
function finish(server: DraftServer, conflicts: IngressConflict[]): IngressServer {
  // Any location asking for expressions turns the whole host to expressions (enforceRegexModifier);
  // resource paths have no location in nginx, so they do not count.
  const regex = server.locations.some(
    (d) => (d.default || isService(d.backend)) && wantsRegex(d.anns, d.path),
  );
  let drafts = server.locations;
  if (!regex) {
    // '/foo' and '/foo/' are one Prefix path: ingress-nginx renders both as nginx location '/foo/'.
    const seen = new Map<string, Draft>();
    drafts = drafts.filter((d) => {
      if (d.exact || !isService(d.backend) || d.default) return true;
      const key = prefixKey(d.path);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, d);
        return true;
      }
      conflicts.push({
        host: server.host,
        path: d.path,
        pathType: d.pathType,
        kept: ref(first),
        dropped: ref(d),
      });
      return false;
    });
  }
  const weight = (d: Draft) => (regex || d.exact ? d.path.length : prefixKey(d.path).length);
  const order = drafts.map((d, i) => ({ d, i }));
  order.sort(
    (a, b) =>
      weight(b.d) - weight(a.d) ||
      (regex ? 0 : Number(b.d.exact) - Number(a.d.exact)) ||
      (a.d.path === b.d.path ? 0 : a.d.path > b.d.path ? -1 : 1) ||
      a.i - b.i,
  );
  const exactPaths = new Set(drafts.filter((d) => d.exact).map((d) => d.path));
  const locations = order.map(({ d }) => location(d, regex, exactPaths));
  return { host: server.host, locations, regex, ...(server.tls ? { tls: server.tls } : {}) };
}

/**
 * On a regex host every location becomes `~* "^path"`. A Prefix path of an Ingress that did not
 * ask for expressions is first split into '/path/' and an exact '/path' (updateServerLocations),
 * together '^/path', unless an Exact location already holds '/path'.
 */
function expressionOf(d: Draft, exactPaths: ReadonlySet<string>): string {
  if (d.exact || d.path === '/' || wantsRegex(d.anns, d.path) || !exactPaths.has(d.path)) return `^${d.path}`;
  return d.path.endsWith('/') ? `^${d.path}` : `^${d.path}/`;
}

function location(d: Draft, regex: boolean, exactPaths: ReadonlySet<string>): IngressLocation {
  const out: { -readonly [K in keyof IngressLocation]: IngressLocation[K] } = {
    path: d.path,
    pathType: d.pathType,
    match: regex ? 'Regex' : d.exact ? 'Exact' : 'Prefix',
    sslRedirect: d.anns.sslRedirect,
    forceSSLRedirect: d.anns.forceSSLRedirect,
  };
  if (d.ingress) out.ingress = objectKey(d.ingress);
  if (d.rule !== undefined) {
    out.rule = d.rule;
    out.pathIndex = d.pathIndex;
  }
  if (d.backend) out.backend = d.backend;
  if (d.default) out.default = true;
  if (regex) {
    out.expression = expressionOf(d, exactPaths);
    try {
      new RegExp(out.expression, 'i');
    } catch (e) {
      out.problem = `not a regular expression: ${(e as Error).message}`;
    }
  }
  return out;
}
