// A URL's request once it has reached the ingress controller: the Ingress routing table's answer
// (src/ingress/, as ingress-nginx routes), the Ingresses of other classes that name the host and
// are ignored, and, when a Service backend is chosen, the controller's own connection to it.

import type { Ingress } from '../api/types.js';
import type { IPFamily } from '../ip/index.js';
import type { TraceContext } from './context.js';
import type { Controller } from './controller.js';
import type { Destination } from './deliver.js';
import { endRef } from './refs.js';
import type { URLSpec } from './target.js';
import type { Hop, HTTPResult, IngressHop, Trace, TraceVerdict } from './types.js';
import { proxyToBackend } from './upstream.js';

export interface Answered {
  readonly hops: Hop[];
  readonly verdict: TraceVerdict;
  readonly endpoint?: Trace['endpoint'];
  readonly http: HTTPResult;
}

/** Whether an Ingress rule host (exact, `*.` one label, or none) takes requests for `host`. */
function ruleTakes(ruleHost: string | undefined, host: string): boolean {
  if (!ruleHost) return true;
  if (!ruleHost.startsWith('*.')) return ruleHost === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === ruleHost.slice(2);
}

/** Ignored Ingresses (another class, ...) with a rule or default backend for `host`. */
function ignoredFor(ctx: TraceContext, host: string): IngressHop['ignored'] {
  return ctx.ingress.ignored.filter(({ ingress }) => {
    const [ns, name] = ingress.split('/');
    const ing = ctx.store.get('Ingress', ns, name);
    if (!ing) return false;
    return (
      ing.spec.defaultBackend !== undefined || (ing.spec.rules ?? []).some((r) => ruleTakes(r.host, host))
    );
  });
}

function ingressObject(ctx: TraceContext, ref: string | undefined): Ingress | undefined {
  if (!ref) return undefined;
  const [ns, name] = ref.split('/');
  return ctx.store.get('Ingress', ns, name);
}

/**
 * The controller's answer to a request whose connection arrived at `arrival` (with several
 * controller replicas, the one the client's connection landed on).
 */
export function atController(
  ctx: TraceContext,
  controller: Controller,
  arrival: Destination,
  url: URLSpec,
  via: IngressHop['via'],
  family: IPFamily,
): Answered {
  const proxyEnd0 = controller.ref.mode === 'pod' ? arrival.endpoint : controller.end;
  const tlsListener = controller.tls(arrival.port);
  if (tlsListener !== (url.scheme === 'https')) {
    // The scheme does not match the listener: nginx never routes the request.
    const plainToTLS = url.scheme === 'http';
    const reason = plainToTLS
      ? `plain HTTP sent to the controller's TLS listener (port ${arrival.port}): nginx answers 400 "The plain HTTP request was sent to HTTPS port" without routing the request (use https://)`
      : `TLS sent to the controller's plain HTTP listener (port ${arrival.port}): the TCP connection is made, then the TLS handshake fails (nginx answers the ClientHello with plain HTTP; curl reports "wrong version number"), so no HTTP request is ever sent (use http://, or port 443)`;
    const hop: IngressHop = {
      kind: 'ingress',
      request: { scheme: url.scheme, host: url.host, port: url.port, path: url.path },
      via,
      controller: { ...controller.ref, endpoint: endRef(proxyEnd0) },
      matched: false,
      ...(plainToTLS ? { status: 400 } : {}),
      listener: { port: arrival.port, tls: tlsListener },
      reason,
      ignored: [],
    };
    return { hops: [hop], verdict: 'no-route', http: plainToTLS ? { status: 400 } : {} };
  }
  // The Host header carries the port when it is not the scheme's; routing ignores it.
  const host = url.ip && url.ip.family === 'IPv6' ? `[${url.host}]` : url.host;
  const route = ctx.ingress.route({ host, path: url.path, scheme: url.scheme });
  const proxyEnd = controller.ref.mode === 'pod' ? arrival.endpoint : controller.end;
  const hop: IngressHop = {
    kind: 'ingress',
    request: { scheme: url.scheme, host: url.host, port: url.port, path: url.path },
    via,
    controller: { ...controller.ref, endpoint: endRef(proxyEnd) },
    matched: route.matched,
    ...(route.status !== undefined ? { status: route.status } : {}),
    ...(route.redirect !== undefined ? { redirect: route.redirect } : {}),
    ...(route.ingress !== undefined ? { ingress: route.ingress } : {}),
    ...(route.rule !== undefined ? { rule: route.rule } : {}),
    ...(route.pathIndex !== undefined ? { pathIndex: route.pathIndex } : {}),
    ...(route.host !== undefined ? { host: route.host } : {}),
    ...(route.pathType !== undefined ? { pathType: route.pathType } : {}),
    ...(route.path !== undefined ? { path: route.path } : {}),
    ...(route.backend !== undefined ? { backend: route.backend } : {}),
    ...(route.defaultBackend ? { defaultBackend: true } : {}),
    ...(route.tls !== undefined ? { tls: route.tls } : {}),
    reason: route.reason,
    ignored: ignoredFor(ctx, url.host),
  };
  const backend = route.backend && 'service' in route.backend ? route.backend.service : undefined;
  if (route.status !== undefined || !route.matched || !backend) {
    const status = route.status ?? 404;
    const http: HTTPResult = {
      status,
      ...(route.redirect !== undefined ? { redirect: route.redirect } : {}),
    };
    if (status === 308) {
      // The controller itself answers: the request is delivered, to be repeated over HTTPS.
      const endpoint = { ip: endRef(proxyEnd).ip, port: arrival.port };
      const pod = proxyEnd.kind === 'pod' ? endRef(proxyEnd) : undefined;
      return {
        hops: [hop],
        verdict: 'delivered',
        endpoint: pod?.kind === 'pod' ? { pod: pod.pod, ...endpoint } : endpoint,
        http,
      };
    }
    return { hops: [hop], verdict: 'no-route', http };
  }
  const proxied = proxyToBackend(
    ctx,
    proxyEnd,
    ingressObject(ctx, route.ingress),
    backend,
    `${url.host}${url.path}`,
    family,
  );
  return {
    hops: [hop, ...proxied.hops],
    verdict: proxied.verdict,
    ...(proxied.endpoint ? { endpoint: proxied.endpoint } : {}),
    http: proxied.http,
  };
}
