// The pure trace: one connection between two ends, through the layers that decide its fate, as
// a list of hops. Verdicts come from the NetworkPolicy engine (evaluate), never from here.

import type { Pod, Protocol } from '../api/types.js';
import { formatIP } from '../ip/index.js';
import { holdsIP } from '../netpol/endpoints.js';
import { evaluate } from '../netpol/evaluate.js';
import type { PolicyModel } from '../netpol/model.js';
import type { Connection, Endpoint } from '../netpol/types.js';
import type { Store } from '../store/store.js';
import { endRef, podName, policyHop } from './refs.js';
import type { DeliveryHop, Hop, Trace } from './types.js';

/** Where a connection goes: an end, and the port and protocol it is sent to. */
export interface Destination {
  readonly endpoint: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
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

interface Listener {
  readonly pod: Pod;
  readonly container: string;
  readonly portName?: string;
}

/**
 * Who declares port/protocol at a pod or node end. On a node, that is a hostNetwork pod bound
 * there (its containerPort is a port of the node); the pod the end names, if any, is asked first.
 */
function listener(store: Store, end: Endpoint, port: number, protocol: Protocol): Listener | undefined {
  if (end.kind === 'external') return undefined;
  const candidates = end.pod ? [end.pod] : [];
  if (end.kind === 'node') {
    for (const p of store.list('Pod'))
      if (p !== end.pod && p.spec.hostNetwork && p.spec.nodeName === end.node && holdsIP(p))
        candidates.push(p);
  }
  for (const pod of candidates) {
    const found = declaringContainer(pod, port, protocol);
    if (found) return { pod, ...found };
  }
  return undefined;
}

function deliveryHop(store: Store, to: Destination): DeliveryHop {
  const { endpoint, port, protocol } = to;
  const base = { kind: 'delivery', endpoint: endRef(endpoint), port, protocol } as const;
  // What listens outside the cluster is not in the model: say nothing rather than guess.
  if (endpoint.kind === 'external') return base;
  const found = listener(store, endpoint, port, protocol);
  if (!found) return { ...base, declared: false };
  return {
    ...base,
    declared: true,
    pod: podName(found.pod),
    container: found.container,
    ...(found.portName !== undefined ? { portName: found.portName } : {}),
  };
}

/**
 * Traces a connection from `from` to `to`. Both policy hops are always present, so the answer
 * shows both verdicts even when egress already drops the packet; the delivery hop follows only
 * when both allow it.
 */
export function traceConnection(model: PolicyModel, from: Endpoint, to: Destination): Trace {
  const conn: Connection = { from, to: to.endpoint, port: to.port, protocol: to.protocol };
  const verdict = evaluate(model, conn);
  const hops: Hop[] = [
    { kind: 'source', endpoint: endRef(from) },
    policyHop(verdict.egress, conn),
    policyHop(verdict.ingress, conn),
  ];
  if (!verdict.allowed) return { kind: 'Trace', verdict: 'denied', hops };
  const delivery = deliveryHop(model.store, to);
  hops.push(delivery);
  const pod = delivery.pod ?? (to.endpoint.kind === 'pod' ? podName(to.endpoint.pod) : undefined);
  return {
    kind: 'Trace',
    verdict: 'delivered',
    hops,
    endpoint: { ...(pod !== undefined ? { pod } : {}), ip: formatIP(to.endpoint.ip), port: to.port },
  };
}
