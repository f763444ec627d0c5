// The last part of every connection: the egress policy at the source and the ingress policy at
// the destination, both on the connection as enforcement sees it (after DNAT; the ingress side
// also after SNAT), then the delivery to a pod and container port. Verdicts come from the
// NetworkPolicy engine (evaluateDirection), never from here.

import type { Pod, Protocol } from '../api/types.js';
import { ipEqual } from '../ip/index.js';
import { evaluateDirection } from '../netpol/evaluate.js';
import type { Connection, Endpoint } from '../netpol/types.js';
import type { TraceContext } from './context.js';
import { endRef, podName, policyHop } from './refs.js';
import type { DeliveryHop, Hop, Masquerade, PolicyHop } from './types.js';

/** Where a connection goes: an end, and the port and protocol it is sent to. */
export interface Destination {
  readonly endpoint: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

/** The source as the destination sees it, when something rewrote it on the way. */
export interface Rewrite {
  readonly seenFrom: Endpoint;
  readonly by: Masquerade['by'];
  readonly why: Masquerade['why'];
}

/** The container of `pod` that declares port/protocol, with the port's name. */
function declaringContainer(
  pod: Pod,
  port: number,
  protocol: Protocol,
): { container: string; portName?: string } | undefined {
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      if (p.containerPort === port && (p.protocol ?? 'TCP') === protocol)
        return p.name ? { container: c.name, portName: p.name } : { container: c.name };
    }
  }
  return undefined;
}

/**
 * Who declares port/protocol at a pod or node end. On a node, that is a hostNetwork pod bound
 * there (its containerPort is a port of the node); the pod the end names, if any, is asked first.
 */
function listener(
  ctx: TraceContext,
  end: Endpoint,
  port: number,
  protocol: Protocol,
): { pod: Pod; container: string; portName?: string } | undefined {
  if (end.kind === 'external') return undefined;
  const candidates = end.pod ? [end.pod] : [];
  if (end.kind === 'node')
    for (const p of ctx.hostNetworkPods(end.node)) if (p !== end.pod) candidates.push(p);
  for (const pod of candidates) {
    const found = declaringContainer(pod, port, protocol);
    if (found) return { pod, ...found };
  }
  return undefined;
}

function deliveryHop(ctx: TraceContext, to: Destination): DeliveryHop {
  const { endpoint, port, protocol } = to;
  const base = { kind: 'delivery', endpoint: endRef(endpoint), port, protocol } as const;
  // What listens outside the cluster is not in the model: say nothing rather than guess.
  if (endpoint.kind === 'external') return base;
  const found = listener(ctx, endpoint, port, protocol);
  if (!found) return { ...base, declared: false };
  return {
    ...base,
    declared: true,
    pod: podName(found.pod),
    container: found.container,
    ...(found.portName !== undefined ? { portName: found.portName } : {}),
  };
}

/** The hop with the other end placed after its own, where a reader looks for it. */
function withPeer(hop: PolicyHop, peer: Endpoint): PolicyHop {
  const { kind, direction, endpoint, ...rest } = hop;
  return { kind, direction, endpoint, peer: endRef(peer), ...rest };
}

/**
 * The two policy hops of a connection. With a rewritten source, the ingress side is evaluated on
 * the address it sees, and once more on the client's own to say whether the rewrite decided.
 */
export function policyHops(
  ctx: TraceContext,
  from: Endpoint,
  to: Destination,
  rewrite?: Rewrite,
): [PolicyHop, PolicyHop] {
  const conn: Connection = { from, to: to.endpoint, port: to.port, protocol: to.protocol };
  const egress = withPeer(policyHop(evaluateDirection(ctx.model, conn, 'Egress'), conn), to.endpoint);
  // A node masqueraded to its own address is seen as what it is: nothing to explain.
  const rewritten = rewrite && !ipEqual(rewrite.seenFrom.ip, from.ip) ? rewrite : undefined;
  const seen: Connection = rewritten ? { ...conn, from: rewritten.seenFrom } : conn;
  const verdict = evaluateDirection(ctx.model, seen, 'Ingress');
  const ingress = withPeer(policyHop(verdict, seen), seen.from);
  if (!rewritten) return [egress, ingress];
  const own = evaluateDirection(ctx.model, conn, 'Ingress');
  const masquerade: Masquerade = {
    client: endRef(from),
    by: rewritten.by,
    why: rewritten.why,
    decides: own.allowed !== verdict.allowed,
  };
  return [egress, { ...ingress, masquerade }];
}

export interface Delivered {
  readonly hops: Hop[];
  readonly allowed: boolean;
  /** A container declares the port it arrived at: something is known to answer there. */
  readonly declared?: boolean;
  /** Present when allowed: the top-level `endpoint` of the trace. */
  readonly endpoint?: { readonly pod?: string; readonly ip: string; readonly port: number };
}

/**
 * Policies, then delivery. Both policy hops are always present, so the answer shows both
 * verdicts even when egress already drops the packet; the delivery hop follows only when both
 * allow it.
 */
export function deliver(ctx: TraceContext, from: Endpoint, to: Destination, rewrite?: Rewrite): Delivered {
  const [egress, ingress] = policyHops(ctx, from, to, rewrite);
  const hops: Hop[] = [egress, ingress];
  if (!egress.allowed || !ingress.allowed) return { hops, allowed: false };
  const delivery = deliveryHop(ctx, to);
  hops.push(delivery);
  const pod = delivery.pod ?? (to.endpoint.kind === 'pod' ? podName(to.endpoint.pod) : undefined);
  return {
    hops,
    allowed: true,
    declared: delivery.declared === true,
    endpoint: { ...(pod !== undefined ? { pod } : {}), ip: delivery.endpoint.ip, port: to.port },
  };
}
