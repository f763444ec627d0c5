// The ends FROM and TO name, looked up in a cluster: pods, nodes and outside clients as
// connection ends in one address family, and the ports named on them. Missing objects are
// NotFound in kubectl's words (exit 1, as `podnet get`); malformed or unusable arguments are
// usage errors (exit 2).

import type { ClusterConfig } from '../api/cluster-config.js';
import { PodnetError } from '../api/errors.js';
import { podIPs } from '../api/pod.js';
import type { Pod, Protocol } from '../api/types.js';
import { cidrContains, formatCIDR, formatIP, type IP, type IPFamily, parseIP } from '../ip/index.js';
import { holdsIP } from '../netpol/endpoints.js';
import type { PolicyModel } from '../netpol/model.js';
import type { Endpoint } from '../netpol/types.js';
import type { Store } from '../store/store.js';
import { podName } from './refs.js';
import { type PortRequest, SERVICE_PREFIXES, type SourceSpec } from './target.js';

/** Outside clients by default: TEST-NET-3 (RFC 5737) and the documentation prefix (RFC 3849). */
const DEFAULT_EXTERNAL: Readonly<Record<IPFamily, string>> = {
  IPv4: '203.0.113.10',
  IPv6: '2001:db8::10',
};

export function usage(message: string): PodnetError {
  return new PodnetError('InvalidUsage', message);
}

export function notFound(message: string): PodnetError {
  return new PodnetError('NotFound', message);
}

export function findPod(store: Store, namespace: string, name: string): Pod {
  const pod = store.get('Pod', namespace, name);
  if (pod) return pod;
  if (!store.get('Namespace', undefined, namespace)) {
    // `svc/NAME:PORT` reads as a pod in namespace svc: say how Services are written.
    const hint = SERVICE_PREFIXES.includes(namespace) ? ' (a Service is written svc/NS/NAME[:PORT])' : '';
    throw notFound(`Error from server (NotFound): namespaces ${JSON.stringify(namespace)} not found${hint}`);
  }
  throw notFound(`Error from server (NotFound): pods ${JSON.stringify(name)} not found`);
}

function checkNode(store: Store, name: string): void {
  if (!store.get('Node', undefined, name))
    throw notFound(`Error from server (NotFound): nodes ${JSON.stringify(name)} not found`);
}

/** Why a pod has no address (of `family`) to connect with, from its status. */
function noAddressReason(store: Store, pod: Pod, family: IPFamily | undefined): string {
  const status = pod.status;
  const phase = status?.phase ?? 'Pending';
  const node = pod.spec.nodeName;
  if (phase === 'Succeeded' || phase === 'Failed') {
    const why = status?.reason ? ` (${status.reason}${status.message ? `: ${status.message}` : ''})` : '';
    return `it is ${phase}${why}, and a finished pod has released its IP`;
  }
  if (!node) {
    const scheduled = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    return scheduled?.message
      ? `it is ${phase} and not scheduled to a node (${scheduled.reason ?? 'Unschedulable'}: ${scheduled.message})`
      : `it is ${phase} and not scheduled to a node yet`;
  }
  if (!store.get('Node', undefined, node))
    return `it is bound to node ${node}, which the input does not declare, so no kubelet started it`;
  if (pod.spec.hostNetwork)
    return `it uses the host network, and node ${node} has no ${family ? `${family} ` : ''}InternalIP`;
  const ips = podIPs(pod);
  if (ips.length > 0) return `its IPs are ${ips.join(', ')}`;
  return `it is ${phase} on node ${node} without an address: the node could not allocate one (see the warnings above)`;
}

export function podEnd(model: PolicyModel, pod: Pod, family: IPFamily | undefined): Endpoint {
  const end = model.podEndpoint(pod, family);
  if (end) return end;
  // A pod with addresses of another family lacks one of this family; otherwise it has none.
  const which = family && podIPs(pod).length > 0 && holdsIP(pod) ? `${family} address` : 'IP';
  throw notFound(`pod ${podName(pod)} has no ${which}: ${noAddressReason(model.store, pod, family)}`);
}

export function nodeEnd(model: PolicyModel, name: string, family: IPFamily | undefined): Endpoint {
  checkNode(model.store, name);
  const end = model.nodeEndpoint(name, family);
  if (end) return end;
  throw notFound(`node ${name} has no ${family ? `${family} ` : ''}InternalIP in status.addresses`);
}

interface DeclaredPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
  readonly container: string;
}

function declaredPorts(pod: Pod): DeclaredPort[] {
  return pod.spec.containers.flatMap((c) =>
    (c.ports ?? []).map((p) => ({
      port: p.containerPort,
      protocol: p.protocol ?? 'TCP',
      name: p.name,
      container: c.name,
    })),
  );
}

function listPorts(ports: readonly DeclaredPort[]): string {
  return ports
    .map((p) => `${p.port}/${p.protocol} (${p.name ? `${p.name}, ` : ''}container ${p.container})`)
    .join(', ');
}

/**
 * The port of a pod destination: the one given, a port name resolved against the pod's
 * containers, or, when none is given, the pod's only declared port.
 */
export function podPort(
  pod: Pod,
  request: PortRequest | undefined,
  what: string,
): { port: number; protocol: Protocol } {
  const declared = declaredPorts(pod);
  if (request === undefined) {
    if (declared.length === 1) return { port: declared[0].port, protocol: declared[0].protocol };
    if (declared.length === 0)
      throw usage(`pod ${podName(pod)} declares no container port: give one, ${what}:PORT[/PROTO]`);
    throw usage(
      `pod ${podName(pod)} declares several ports, give one (${what}:PORT[/PROTO]): ${listPorts(declared)}`,
    );
  }
  if (typeof request.port === 'number') return { port: request.port, protocol: request.protocol ?? 'TCP' };
  const named = declared.find(
    (p) => p.name === request.port && (!request.protocol || p.protocol === request.protocol),
  );
  if (named) return { port: named.port, protocol: named.protocol };
  const proto = request.protocol ? `/${request.protocol}` : '';
  const has = declared.length > 0 ? `its ports: ${listPorts(declared)}` : 'it declares no container port';
  throw usage(`pod ${podName(pod)} has no port named ${JSON.stringify(request.port)}${proto} (${has})`);
}

/** A port for a node or an address: a number (names belong to pods and Services). */
export function numericPort(
  request: PortRequest | undefined,
  what: string,
): { port: number; protocol: Protocol } {
  if (request === undefined) throw usage(`give a port: ${what}:PORT[/PROTO]`);
  if (typeof request.port === 'string')
    throw usage(`${what}: a port name (${request.port}) means a port of a pod's containers; give a number`);
  return { port: request.port, protocol: request.protocol ?? 'TCP' };
}

/** An address as it is written with a port: `[fd00::1]` for IPv6. */
export function hostText(ip: IP): string {
  const shown = formatIP(ip);
  return ip.family === 'IPv6' ? `[${shown}]` : shown;
}

/**
 * FROM as a connection end of `family`. An outside client gets `--from-ip` (default a
 * documentation address), which must lie outside the cluster.
 */
export function resolveSource(
  model: PolicyModel,
  config: ClusterConfig,
  spec: SourceSpec,
  family: IPFamily,
  fromIP: IP | undefined,
): Endpoint {
  if (spec.kind !== 'external' && fromIP) throw usage('--from-ip gives an address to FROM external only');
  if (spec.kind === 'pod') return podEnd(model, findPod(model.store, spec.namespace, spec.name), family);
  if (spec.kind === 'node') return nodeEnd(model, spec.name, family);
  const ip = fromIP ?? (parseIP(DEFAULT_EXTERNAL[family]) as IP);
  const shown = formatIP(ip);
  if (ip.family !== family)
    throw usage(`--from-ip ${shown} is an ${ip.family} address, but the destination is ${family}`);
  const end = model.ipEndpoint(ip);
  if (end.kind === 'pod')
    throw usage(
      `--from-ip ${shown} is the address of pod ${podName(end.pod)}: trace from ${podName(end.pod)}`,
    );
  if (end.kind === 'node')
    throw usage(`--from-ip ${shown} is the address of node ${end.node}: trace from node/${end.node}`);
  const inside = [...config.podSubnets, ...config.serviceSubnets].find((c) => cidrContains(c, ip));
  if (inside)
    throw usage(
      `--from-ip ${shown} is inside the cluster (${formatCIDR(inside)}): give an address outside it`,
    );
  return end;
}
