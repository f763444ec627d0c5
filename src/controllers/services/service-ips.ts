// ClusterIPs as kube-apiserver's Service registry assigns them: the IP family fields are
// settled first (ipFamilyPolicy, ipFamilies, from the request and the cluster's families), then
// each family gets its requested address (checked for conflicts) or a dynamic one from that
// family's service CIDR.

import type { ClusterConfig } from '../../api/cluster-config.js';
import { type FieldError, FieldPath, invalid } from '../../api/errors.js';
import { isHeadless } from '../../api/service.js';
import type { IPFamilyPolicy, Service } from '../../api/types.js';
import {
  type CIDR,
  cidrContains,
  cidrSize,
  formatCIDR,
  formatIP,
  type IPFamily,
  ipFamilyOf,
  parseIP,
} from '../../ip/index.js';
import { BandedAllocator, staticBandSize } from './banded-allocator.js';

const SPEC = FieldPath.root('spec');

/** What the registry settles before allocating: the family fields of a non-ExternalName Service. */
export interface FamilyFields {
  ipFamilyPolicy: IPFamilyPolicy;
  ipFamilies: IPFamily[];
  /** One entry per family: a requested address, '' for "allocate", or ['None'] when headless. */
  clusterIPs: string[];
}

function hasSelector(service: Service): boolean {
  return Object.keys(service.spec.selector ?? {}).length > 0;
}

function otherFamily(f: IPFamily): IPFamily {
  return f === 'IPv4' ? 'IPv6' : 'IPv4';
}

/**
 * The family fields of a Service being created (the registry's initIPFamilyFields): SingleStack
 * by default, except headless Services without a selector, which default to RequireDualStack
 * and get both families even on a single-stack cluster (their records come from user-provided
 * endpoints of any family). Families are inferred from requested clusterIPs, then default to
 * the cluster's primary family; PreferDualStack and RequireDualStack add the other family on a
 * dual-stack cluster.
 */
export function familyFields(service: Service, config: ClusterConfig): FamilyFields | FieldError[] {
  const spec = service.spec;
  const configured = new Set<IPFamily>(config.serviceSubnets.map((c) => c.family));
  const primary = config.serviceSubnets[0].family;
  const headless = isHeadless(service);
  const policy: IPFamilyPolicy =
    spec.ipFamilyPolicy ?? (headless && !hasSelector(service) ? 'RequireDualStack' : 'SingleStack');
  const clusterIPs = [...(spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []))];
  const families: IPFamily[] = [...(spec.ipFamilies ?? [])];
  const errors: FieldError[] = [];

  if (policy === 'SingleStack') {
    if (clusterIPs.length === 2) {
      errors.push(
        invalid(
          SPEC.child('ipFamilyPolicy'),
          policy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
        ),
      );
    }
    if (families.length === 2) {
      errors.push(
        invalid(
          SPEC.child('ipFamilyPolicy'),
          policy,
          "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
        ),
      );
    }
  }
  for (let i = 0; i < clusterIPs.length && clusterIPs[i] !== 'None'; i++) {
    const family = ipFamilyOf(clusterIPs[i]);
    if (family === undefined || i < families.length) continue;
    if (configured.has(family)) families.push(family);
    else
      errors.push(
        invalid(SPEC.child('clusterIPs').index(i), clusterIPs, `${family} is not configured on this cluster`),
      );
  }
  if (errors.length > 0) return errors;

  if (headless && !hasSelector(service)) {
    if (families.length === 0) families.push(primary);
    if (families.length < 2 && policy !== 'SingleStack') families.push(otherFamily(families[0]));
    return { ipFamilyPolicy: policy, ipFamilies: families, clusterIPs: ['None'] };
  }

  if (policy === 'RequireDualStack' && configured.size < 2) {
    errors.push(
      invalid(SPEC.child('ipFamilyPolicy'), policy, 'this cluster is not configured for dual-stack services'),
    );
  }
  families.forEach((f, i) => {
    if (!configured.has(f))
      errors.push(invalid(SPEC.child('ipFamilies').index(i), f, 'not configured on this cluster'));
  });
  if (errors.length > 0) return errors;
  if (families.length === 0) families.push(primary);
  if (policy !== 'SingleStack' && families.length === 1 && configured.size === 2)
    families.push(otherFamily(families[0]));

  if (headless) return { ipFamilyPolicy: policy, ipFamilies: families, clusterIPs: ['None'] };
  while (clusterIPs.length < families.length) clusterIPs.push('');
  return { ipFamilyPolicy: policy, ipFamilies: families, clusterIPs };
}

/** One service CIDR as the allocator sees it: usable addresses and their two bands. */
class ServiceRange {
  readonly alloc: BandedAllocator;
  // The usable range starts after the network address; IPv4 also loses its broadcast address.
  private readonly first: bigint;

  constructor(readonly cidr: CIDR) {
    const size = cidrSize(cidr);
    this.first = cidr.base + 1n;
    const usable = size - (cidr.family === 'IPv4' ? 2n : 1n);
    this.alloc = new BandedAllocator(usable > 0n ? usable : 0n, staticBandSize(size, 16, 256, 16));
  }

  offsetOf(ip: string): bigint | undefined {
    const parsed = parseIP(ip);
    if (!parsed || !cidrContains(this.cidr, parsed)) return undefined;
    const offset = parsed.value - this.first;
    return offset >= 0n && offset < this.alloc.size ? offset : undefined;
  }

  addressAt(offset: bigint): string {
    return formatIP({ family: this.cidr.family, value: this.first + offset });
  }
}

/** The Service IP allocators of a cluster, one per configured family. */
export class ClusterIPAllocator {
  private readonly ranges = new Map<IPFamily, ServiceRange>();

  constructor(config: ClusterConfig) {
    for (const c of config.serviceSubnets) this.ranges.set(c.family, new ServiceRange(c));
  }

  /**
   * Reserves the requested addresses of `fields` (entries that are not ''), all or none.
   * Returns the field errors the API server would answer with.
   */
  reserveRequested(fields: FamilyFields): FieldError[] {
    if (fields.clusterIPs[0] === 'None') return [];
    const taken: [ServiceRange, bigint][] = [];
    for (let i = 0; i < fields.ipFamilies.length; i++) {
      const ip = fields.clusterIPs[i];
      if (!ip) continue;
      const range = this.ranges.get(fields.ipFamilies[i]);
      const offset = range?.offsetOf(ip);
      let problem: string | undefined;
      if (!range || offset === undefined) {
        const where = range ? formatCIDR(range.cidr) : 'this cluster';
        problem = `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${where}`;
      } else if (!range.alloc.reserve(offset)) {
        problem = 'provided IP is already allocated';
      } else {
        taken.push([range, offset]);
        continue;
      }
      for (const [r, o] of taken) r.alloc.release(o);
      return [
        invalid(SPEC.child('clusterIPs'), fields.clusterIPs, `failed to allocate IP ${ip}: ${problem}`),
      ];
    }
    return [];
  }

  /** Fills the '' entries of `fields.clusterIPs` with dynamic addresses; an error if a range is full. */
  allocateDynamic(fields: FamilyFields, identity: string): FieldError[] {
    for (let i = 0; i < fields.ipFamilies.length; i++) {
      if (fields.clusterIPs[i] !== '') continue;
      const range = this.ranges.get(fields.ipFamilies[i]) as ServiceRange;
      const offset = range.alloc.allocate(`${identity}/${fields.ipFamilies[i]}`);
      if (offset === undefined) {
        return [
          invalid(
            SPEC.child('clusterIPs'),
            fields.clusterIPs,
            `failed to allocate a serviceIP: range is full (${formatCIDR(range.cidr)})`,
          ),
        ];
      }
      fields.clusterIPs[i] = range.addressAt(offset);
    }
    return [];
  }

  /** Frees what `fields` holds (a Service refused after its addresses were reserved). */
  release(fields: FamilyFields): void {
    fields.ipFamilies.forEach((f, i) => {
      const ip = fields.clusterIPs[i];
      const range = this.ranges.get(f);
      const offset = ip && ip !== 'None' ? range?.offsetOf(ip) : undefined;
      if (range && offset !== undefined) range.alloc.release(offset);
    });
  }
}
