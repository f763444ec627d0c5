// NodePorts as kube-apiserver's Service registry assigns them (initNodePorts,
// allocHealthCheckNodePort): NodePort and LoadBalancer Services get one node port per Service
// port, except that ports sharing a port number (53/UDP and 53/TCP) share one node port;
// requested node ports are honoured or refused; LoadBalancer Services with
// allocateLoadBalancerNodePorts: false get only the ones requested; LoadBalancer Services with
// externalTrafficPolicy: Local also get a healthCheckNodePort from the same range.

import type { ClusterConfig } from '../../api/cluster-config.js';
import { type FieldError, FieldPath, invalid } from '../../api/errors.js';
import type { Service } from '../../api/types.js';
import { BandedAllocator, staticBandSize } from './banded-allocator.js';

const PORTS = FieldPath.root('spec', 'ports');

export function wantsNodePorts(service: Service): boolean {
  return service.spec.type === 'NodePort' || service.spec.type === 'LoadBalancer';
}

function allocatesNodePorts(service: Service): boolean {
  return service.spec.type === 'NodePort' || service.spec.allocateLoadBalancerNodePorts !== false;
}

/** apiservice.NeedsHealthCheck: only LoadBalancer Services with externalTrafficPolicy Local. */
export function needsHealthCheck(service: Service): boolean {
  return service.spec.type === 'LoadBalancer' && service.spec.externalTrafficPolicy === 'Local';
}

/** The node ports one Service ends up with: per Service port (0 = none), and the health check port. */
export interface NodePortPlan {
  ports: number[];
  healthCheckNodePort: number;
}

export class NodePortAllocator {
  private readonly alloc: BandedAllocator;
  private readonly min: number;

  constructor(config: ClusterConfig) {
    const { min, max } = config.nodePortRange;
    this.min = min;
    const size = BigInt(max - min + 1);
    this.alloc = new BandedAllocator(size, staticBandSize(size, 16, 128, 32));
  }

  private reserve(port: number): string | undefined {
    const offset = BigInt(port - this.min);
    if (offset < 0n || offset >= this.alloc.size) {
      return `provided port is not in the valid range. The range of valid ports is ${this.min}-${this.min + Number(this.alloc.size) - 1}`;
    }
    return this.alloc.reserve(offset) ? undefined : 'provided port is already allocated';
  }

  private releasePort(port: number): void {
    const offset = BigInt(port - this.min);
    if (offset >= 0n && offset < this.alloc.size) this.alloc.release(offset);
  }

  /**
   * Reserves the node ports `service` requests, all or none, following initNodePorts: the first
   * port of a port number takes the node port requested by any port of that number, later
   * ports of that number share it, and a different requested value must be free.
   */
  reserveRequested(service: Service): NodePortPlan | FieldError[] {
    const ports = service.spec.ports ?? [];
    const plan: NodePortPlan = { ports: ports.map(() => 0), healthCheckNodePort: 0 };
    const reserved: number[] = [];
    const fail = (errors: FieldError[]): FieldError[] => {
      for (const p of reserved) this.releasePort(p);
      return errors;
    };
    if (wantsNodePorts(service)) {
      const byPortNumber = new Map<number, number>();
      for (let i = 0; i < ports.length; i++) {
        const requested = ports[i].nodePort ?? 0;
        if (requested === 0 && !allocatesNodePorts(service)) continue;
        const shared = byPortNumber.get(ports[i].port);
        let np = requested;
        if (shared === undefined) {
          np = ports.find((p) => p.port === ports[i].port && p.nodePort)?.nodePort ?? 0;
          if (np === 0) continue;
          byPortNumber.set(ports[i].port, np);
        } else if (requested === 0 || requested === shared) {
          plan.ports[i] = shared;
          continue;
        }
        const problem = this.reserve(np);
        if (problem) return fail([invalid(PORTS.index(i).child('nodePort'), np, problem)]);
        reserved.push(np);
        plan.ports[i] = np;
      }
    }
    if (needsHealthCheck(service) && service.spec.healthCheckNodePort) {
      const hc = service.spec.healthCheckNodePort;
      const problem = this.reserve(hc);
      if (problem) {
        return fail([
          invalid(
            FieldPath.root('spec', 'healthCheckNodePort'),
            hc,
            `failed to allocate requested HealthCheck NodePort ${hc}: ${problem}`,
          ),
        ]);
      }
      plan.healthCheckNodePort = hc;
    }
    return plan;
  }

  /** Fills the node ports `plan` still lacks with dynamic ones; an error when the range is full. */
  allocateDynamic(service: Service, plan: NodePortPlan, identity: string): FieldError[] {
    const ports = service.spec.ports ?? [];
    if (wantsNodePorts(service) && allocatesNodePorts(service)) {
      const byPortNumber = new Map<number, number>();
      ports.forEach((p, i) => {
        if (plan.ports[i]) byPortNumber.set(p.port, plan.ports[i]);
      });
      for (let i = 0; i < ports.length; i++) {
        if (plan.ports[i]) continue;
        let np = byPortNumber.get(ports[i].port);
        if (np === undefined) {
          const offset = this.alloc.allocate(`${identity}/${ports[i].port}`);
          if (offset === undefined)
            return [
              invalid(PORTS.index(i).child('nodePort'), 0, 'failed to allocate a nodePort: range is full'),
            ];
          np = this.min + Number(offset);
          byPortNumber.set(ports[i].port, np);
        }
        plan.ports[i] = np;
      }
    }
    if (needsHealthCheck(service) && !plan.healthCheckNodePort) {
      const offset = this.alloc.allocate(`${identity}/healthCheckNodePort`);
      if (offset === undefined) {
        return [
          invalid(
            FieldPath.root('spec', 'healthCheckNodePort'),
            0,
            'failed to allocate a HealthCheck NodePort: range is full',
          ),
        ];
      }
      plan.healthCheckNodePort = this.min + Number(offset);
    }
    return [];
  }

  /** Frees what `plan` holds (a Service refused after its node ports were reserved). */
  release(plan: NodePortPlan): void {
    for (const p of new Set(plan.ports)) if (p) this.releasePort(p);
    if (plan.healthCheckNodePort) this.releasePort(plan.healthCheckNodePort);
  }
}
