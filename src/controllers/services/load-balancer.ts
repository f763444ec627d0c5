// LoadBalancer addresses, as a bare-metal load-balancer controller (MetalLB, cloud-provider-kind)
// hands them out: from the cluster's pool, one address per IP family the Service uses and the
// pool serves, all or nothing. A Service's existing status.loadBalancer is honoured (a
// snapshot); spec.loadBalancerIP (deprecated, still honoured by MetalLB) is granted when it is
// in the pool and free; Services of another loadBalancerClass belong to another controller and
// stay pending, as do Services when the pool is exhausted.

import type { ClusterConfig } from '../../api/cluster-config.js';
import type { LoadBalancerIngress, Service } from '../../api/types.js';
import { formatIP, type IP, type IPFamily, parseIP, RangeAllocator } from '../../ip/index.js';

interface PoolRange {
  first: IP;
  size: bigint;
  used: RangeAllocator;
}

export type LoadBalancerResult =
  | { kind: 'assigned'; ingress: LoadBalancerIngress[] }
  | { kind: 'pending'; reason: string };

/** Services this controller serves: type LoadBalancer without a loadBalancerClass. */
export function isOurLoadBalancer(service: Service): boolean {
  return service.spec.type === 'LoadBalancer' && service.spec.loadBalancerClass === undefined;
}

export class LoadBalancerPool {
  private readonly ranges: PoolRange[];
  private readonly owners = new Map<string, string>();

  constructor(config: ClusterConfig) {
    this.ranges = config.loadBalancerPool.map((r) => {
      const size = r.last.value - r.first.value + 1n;
      return { first: r.first, size, used: new RangeAllocator(size) };
    });
  }

  private locate(ip: IP): [PoolRange, bigint] | undefined {
    for (const r of this.ranges) {
      const offset = ip.value - r.first.value;
      if (r.first.family === ip.family && offset >= 0n && offset < r.size) return [r, offset];
    }
    return undefined;
  }

  /**
   * Records the addresses a Service already carries in its status. Returns the other Service
   * already holding one of them, if any (a snapshot oddity, kept as is).
   */
  claimExisting(service: Service, owner: string): string | undefined {
    let clash: string | undefined;
    for (const ing of service.status?.loadBalancer?.ingress ?? []) {
      const ip = ing.ip ? parseIP(ing.ip) : undefined;
      const at = ip ? this.locate(ip) : undefined;
      if (!ip || !at) continue;
      const key = formatIP(ip);
      const holder = this.owners.get(key);
      if (holder !== undefined && holder !== owner) clash = holder;
      at[0].used.mark(at[1]);
      if (holder === undefined) this.owners.set(key, owner);
    }
    return clash;
  }

  /** Assigns addresses to a Service without any, honouring spec.loadBalancerIP. */
  assign(service: Service, owner: string, families: readonly IPFamily[]): LoadBalancerResult {
    const requested = service.spec.loadBalancerIP;
    if (requested) {
      const ip = parseIP(requested);
      const at = ip ? this.locate(ip) : undefined;
      if (!ip || !at)
        return {
          kind: 'pending',
          reason: `spec.loadBalancerIP ${requested} is not in the load balancer pool`,
        };
      if (!at[0].used.mark(at[1])) {
        return {
          kind: 'pending',
          reason: `spec.loadBalancerIP ${requested} is already assigned to Service ${this.owners.get(formatIP(ip))}`,
        };
      }
      this.owners.set(formatIP(ip), owner);
      return { kind: 'assigned', ingress: [{ ip: formatIP(ip), ipMode: 'VIP' }] };
    }
    const served = families.filter((f) => this.ranges.some((r) => r.first.family === f));
    if (served.length === 0)
      return { kind: 'pending', reason: `the load balancer pool has no ${families.join(' or ')} addresses` };
    const picked: [PoolRange, bigint][] = [];
    for (const family of served) {
      const found = this.firstFree(family);
      if (!found) {
        for (const [r, o] of picked) r.used.release(o);
        return { kind: 'pending', reason: `no available ${family} address in the load balancer pool` };
      }
      found[0].used.mark(found[1]);
      picked.push(found);
    }
    const ingress = picked.map(([r, o]) => {
      const ip = formatIP({ family: r.first.family, value: r.first.value + o });
      this.owners.set(ip, owner);
      return { ip, ipMode: 'VIP' as const };
    });
    return { kind: 'assigned', ingress };
  }

  private firstFree(family: IPFamily): [PoolRange, bigint] | undefined {
    for (const r of this.ranges) {
      if (r.first.family !== family) continue;
      const offset = r.used.firstFree();
      if (offset !== undefined) return [r, offset];
    }
    return undefined;
  }
}
