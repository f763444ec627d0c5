// Which endpoint a connection lands on. kube-proxy picks uniformly at random among the candidates
// (`numgen random mod N`); with sessionAffinity ClientIP it then pins the client's address to
// that endpoint for timeoutSeconds. A trace must show one endpoint, the same one every run: the
// pick below is what affinity would keep, a stable function of the client address.

import { fnv1a32 } from '../api/hash.js';
import type { Service } from '../api/types.js';
import { formatIP } from '../ip/index.js';
import type { EndpointCandidate, ServiceClient, ServiceRoute } from './types.js';

/** The apiserver's default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

/** The Service's ClientIP affinity, if it has one. */
export function sessionAffinity(service: Service): ServiceRoute['sessionAffinity'] {
  if (service.spec.sessionAffinity !== 'ClientIP') return undefined;
  const timeoutSeconds =
    service.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS;
  return { type: 'ClientIP', timeoutSeconds };
}

/**
 * Highest weight first, then rendezvous hashing of the source address with each endpoint: the
 * client keeps its endpoint while that endpoint remains a candidate, and only the clients of an
 * endpoint that goes away move, as with affinity entries. The source is the one kube-proxy
 * sees: the load balancer's address behind an ipMode Proxy load balancer.
 */
export function chooseEndpoint(route: ServiceRoute, client: ServiceClient): EndpointCandidate | undefined {
  const source = route.proxiedBy ?? formatIP(client.ip);
  let best: EndpointCandidate | undefined;
  let bestScore = -1;
  for (const c of route.candidates) {
    const score = fnv1a32(`${source}|${c.ip}|${c.port}`);
    if (!best || c.weight > best.weight || (c.weight === best.weight && score > bestScore)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
