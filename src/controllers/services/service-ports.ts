// Resolving a Service port's targetPort against a pod (podutil.FindPort): a number is used as
// is; a name is looked up among the pod's container ports with that name *and the Service
// port's protocol*, in the app containers and then in sidecars (init containers with
// restartPolicy Always). The EndpointSlice and Endpoints controllers and the kube-proxy model
// share this, so "which port does this pod serve for that Service port" has one answer.

import { namedContainerPort } from '../../api/pod.js';
import type { EndpointPort, Pod, Service, ServicePort } from '../../api/types.js';

/** The container port a Service port targets on `pod`, or undefined when a named port is absent. */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  return typeof target === 'number' ? target : namedContainerPort(pod, target, port.protocol ?? 'TCP');
}

/**
 * Resolves all ports of one Service for many pods. When no targetPort is a name, every pod
 * gets the same list, computed once; otherwise named ports are resolved per pod and pods whose
 * lists agree share one array (so callers can group pods by port list by identity).
 */
export class ServicePortResolver {
  private readonly ports: readonly ServicePort[];
  private readonly fixed: EndpointPort[] | undefined;
  private readonly byKey = new Map<string, EndpointPort[]>();

  constructor(service: Service) {
    this.ports = service.spec.ports ?? [];
    const named = this.ports.some((p) => typeof (p.targetPort ?? p.port) === 'string');
    if (!named)
      this.fixed = this.ports.map((p) => endpointPort(p, (p.targetPort as number | undefined) ?? p.port));
  }

  /**
   * The EndpointPorts `pod` serves, one per Service port whose targetPort resolves on it, in
   * the Service's port order (a port that does not resolve is left out, as upstream does).
   */
  resolve(pod: Pod): EndpointPort[] {
    if (this.fixed) return this.fixed;
    const numbers: (number | undefined)[] = this.ports.map((p) => findPort(pod, p));
    const key = numbers.join(',');
    let list = this.byKey.get(key);
    if (!list) {
      list = [];
      this.ports.forEach((p, i) => {
        const n = numbers[i];
        if (n !== undefined) list?.push(endpointPort(p, n));
      });
      this.byKey.set(key, list);
    }
    return list;
  }
}

function endpointPort(p: ServicePort, port: number): EndpointPort {
  const out: EndpointPort = { name: p.name ?? '', protocol: p.protocol ?? 'TCP', port };
  if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
  return out;
}

/** A canonical key of a port list, independent of order (the slice controller's PortMapKey). */
export function portListKey(ports: readonly EndpointPort[] | undefined): string {
  if (!ports || ports.length === 0) return '';
  const parts = ports.map(
    (p) => `${p.name ?? ''}/${p.protocol ?? 'TCP'}/${p.port ?? ''}/${p.appProtocol ?? ''}`,
  );
  parts.sort();
  return parts.join(',');
}
