// The ingress controller's own connection to the backend of a routed request, with the HTTP
// status the client then gets. ingress-nginx does not go through the cluster IP: it reads the
// backend Service port's EndpointSlices, keeps the ready endpoints (not the serving-terminating
// fallback kube-proxy has, nor topology hints), balances over them itself and connects to the
// pod (internal/ingress/controller/endpointslices.go). With the Ingress annotation
// `nginx.ingress.kubernetes.io/service-upstream: "true"` it connects to the cluster IP instead,
// and kube-proxy chooses.
//
// Statuses, as ingress-nginx answers: 503 when the backend has no ready endpoint (its Service or
// port missing included: the upstream is empty); 504 when the connection to the endpoint times
// out (a NetworkPolicy drops it silently; proxy_connect_timeout is 5 s); through a cluster IP, 502
// when kube-proxy refuses it; 200 when the backend is reached.

import { fnv1a32 } from '../api/hash.js';
import type { Ingress, Service, ServicePort } from '../api/types.js';
import { type IP, type IPFamily, parseIP } from '../ip/index.js';
import type { Endpoint } from '../netpol/types.js';
import { type ServiceEndpoint, serviceEndpoints } from '../services/index.js';
import type { EndpointCandidate, ExclusionReason } from '../services/types.js';
import type { TraceContext } from './context.js';
import { deliver } from './deliver.js';
import { crossFrontend } from './translate.js';
import type { Hop, HTTPResult, Trace, TraceVerdict, UpstreamHop } from './types.js';

const SERVICE_UPSTREAM = 'nginx.ingress.kubernetes.io/service-upstream';

export interface Proxied {
  readonly hops: Hop[];
  readonly verdict: TraceVerdict;
  readonly endpoint?: Trace['endpoint'];
  readonly http: HTTPResult;
}

function candidate(ep: ServiceEndpoint, weight: number): EndpointCandidate {
  return {
    ...(ep.pod !== undefined ? { pod: ep.pod } : {}),
    ip: ep.ip,
    port: ep.port,
    ...(ep.node !== undefined ? { node: ep.node } : {}),
    ...(ep.zone !== undefined ? { zone: ep.zone } : {}),
    ready: ep.ready,
    serving: ep.serving,
    terminating: ep.terminating,
    weight,
  };
}

/**
 * The endpoint a trace shows: ingress-nginx's round robin has no memory a trace can reproduce,
 * so the pick is a stable function of the controller's address and the request (rendezvous
 * hashing), the same every run.
 */
function pick(candidates: readonly EndpointCandidate[], seed: string): EndpointCandidate | undefined {
  let best: EndpointCandidate | undefined;
  let bestScore = -1;
  for (const c of candidates) {
    const score = fnv1a32(`${seed}|${c.ip}|${c.port}`);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

function servicePort(svc: Service, port: string | number): ServicePort | undefined {
  return svc.spec.ports?.find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/** The controller's connection to `backend`, for a request keyed by `request` (host and path). */
export function proxyToBackend(
  ctx: TraceContext,
  controller: Endpoint,
  ingress: Ingress | undefined,
  backend: { namespace: string; name: string; port: string | number },
  request: string,
  family: IPFamily,
): Proxied {
  const ref = `${backend.namespace}/${backend.name}`;
  const http = { backend: { service: ref, port: String(backend.port) } };
  const hop = (
    reason: string,
    candidates: EndpointCandidate[] = [],
    excluded: UpstreamHop['excluded'] = [],
  ): UpstreamHop => ({
    kind: 'upstream',
    service: ref,
    servicePort: String(backend.port),
    candidates,
    excluded,
    reason,
  });
  const unavailable = (reason: string, excluded: UpstreamHop['excluded'] = []): Proxied => ({
    hops: [hop(`${reason}: ingress-nginx answers 503 Service Unavailable`, [], excluded)],
    verdict: 'no-endpoints',
    http: { ...http, status: 503 },
  });

  const svc = ctx.store.get('Service', backend.namespace, backend.name);
  if (!svc) return unavailable(`the backend Service ${ref} does not exist`);
  const port = servicePort(svc, backend.port);
  if (!port) {
    const has = (svc.spec.ports ?? []).map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port)));
    return unavailable(
      `Service ${ref} has no port ${JSON.stringify(backend.port)} (its ports: ${has.join(', ') || 'none'})`,
    );
  }
  if (svc.spec.type === 'ExternalName') {
    return {
      hops: [
        hop(
          `Service ${ref} is an ExternalName for ${svc.spec.externalName}: the controller resolves it and proxies outside the cluster, which podnet does not model`,
        ),
      ],
      verdict: 'refused',
      http,
    };
  }

  if (truthy(ingress?.metadata.annotations?.[SERVICE_UPSTREAM])) {
    const frontend = ctx.services
      .frontendsOf(backend.namespace, backend.name)
      .find(
        (f) =>
          f.kind === 'ClusterIP' && f.family === family && f.servicePort === (port.name || String(port.port)),
      );
    if (!frontend) return unavailable(`Service ${ref} has no ${family} cluster IP for service-upstream`);
    const crossing = crossFrontend(ctx, controller, frontend);
    if (crossing.verdict || !crossing.to) {
      const refused = crossing.verdict === 'no-endpoints';
      return {
        hops: crossing.hops,
        verdict: crossing.verdict ?? 'no-route',
        // Refused by kube-proxy: nginx's connect() fails at once (502); dropped: it times out (504).
        http: { ...http, status: refused ? 502 : 504 },
      };
    }
    return finish(ctx, controller, crossing.hops, crossing.to, http);
  }

  const endpoints = serviceEndpoints(ctx.store, svc, port, family);
  const ready = endpoints.filter((ep) => ep.ready);
  const excluded = endpoints
    .filter((ep) => !ep.ready)
    .map((ep) => ({
      endpoint: candidate(ep, 0),
      why: (ep.terminating && ep.serving ? 'terminating' : 'not-serving') as ExclusionReason,
    }));
  if (ready.length === 0) {
    const why =
      endpoints.length === 0
        ? `Service ${ref} has no ${family} endpoint`
        : `none of the ${endpoints.length} endpoints of Service ${ref} is ready`;
    return unavailable(why, excluded);
  }
  const candidates = ready.map((ep) => candidate(ep, 1 / ready.length));
  const chosen = pick(candidates, `${controller.ip.value}|${request}`) as EndpointCandidate;
  const spread = ready.length > 1 ? `, balanced round robin (each 1/${ready.length})` : '';
  const upstream: UpstreamHop = {
    ...hop(
      `ingress-nginx connects to a ready endpoint of Service ${ref} port ${backend.port} itself, not through its cluster IP: ${ready.length} ready${spread}`,
      candidates,
      excluded,
    ),
    chosen,
  };
  const to = {
    endpoint: ctx.model.ipEndpoint(parseIP(chosen.ip) as IP),
    port: chosen.port,
    protocol: port.protocol ?? 'TCP',
  } as const;
  return finish(ctx, controller, [upstream], to, http);
}

function finish(
  ctx: TraceContext,
  controller: Endpoint,
  hops: Hop[],
  to: Parameters<typeof deliver>[2],
  http: Pick<HTTPResult, 'backend'>,
): Proxied {
  const delivered = deliver(ctx, controller, to);
  if (!delivered.allowed) {
    // A policy drops the controller's SYN silently: nginx waits proxy_connect_timeout and answers 504.
    return { hops: [...hops, ...delivered.hops], verdict: 'denied', http: { ...http, status: 504 } };
  }
  return {
    hops: [...hops, ...delivered.hops],
    verdict: 'delivered',
    ...(delivered.endpoint ? { endpoint: delivered.endpoint } : {}),
    http: delivered.declared ? { ...http, status: 200 } : http,
  };
}
