// Pod A/AAAA records, `<dashed address>.<ns>.pod.<zone>` (specification 2.6, deprecated but
// required). kubeadm's Corefile says `pods insecure`: CoreDNS answers any well-formed address
// in any namespace that exists, without checking that a pod has it (plugin/kubernetes
// kubernetes.go findPods), so these names are computed per question, not indexed.

import type { Pod } from '../api/types.js';
import { formatIP, type IP, isIPv4Mapped, parseIP } from '../ip/index.js';
import { dashed, parseDashedIP } from './names.js';
import type { RData, ResourceRecord } from './types.js';

const LOW_32 = 0xffffffffn;

/** The address data a pod label answers with, or undefined when it spells no address. */
export function podAddressData(label: string): RData | undefined {
  const ip = parseDashedIP(label);
  if (!ip) return undefined;
  // Go's net.IP reports an IPv4-mapped address as IPv4, so CoreDNS answers it with an A record.
  const v4: IP | undefined =
    ip.family === 'IPv4' ? ip : isIPv4Mapped(ip) ? { family: 'IPv4', value: ip.value & LOW_32 } : undefined;
  return v4 ? { type: 'A', address: formatIP(v4) } : { type: 'AAAA', address: formatIP(ip) };
}

/** The pod addresses of the snapshot, kept as text so the zone does not hold on to the pods. */
export class PodAddresses {
  /** Namespace and address, alternating. */
  private readonly pairs: string[] = [];

  constructor(pods: readonly Pod[]) {
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const ns = pod.metadata.namespace ?? 'default';
      const podIPs = pod.status?.podIPs;
      if (podIPs) for (const { ip } of podIPs) this.pairs.push(ns, ip);
      else if (pod.status?.podIP) this.pairs.push(ns, pod.status.podIP);
    }
  }

  /**
   * The records of the pods that exist (what `pods verified` would answer), for the zone file:
   * `pods insecure` answers more names than any file can list, and these are the ones in use.
   */
  records(domain: string, ttl: number): ResourceRecord[] {
    const seen = new Set<string>();
    const out: ResourceRecord[] = [];
    for (let i = 0; i < this.pairs.length; i += 2) {
      const ip = parseIP(this.pairs[i + 1]);
      if (!ip) continue;
      const address = formatIP(ip);
      const name = `${dashed(address)}.${this.pairs[i]}.pod.${domain}`;
      // hostNetwork pods of one node share its address: one name, one record.
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({
        name,
        ttl,
        data: ip.family === 'IPv4' ? { type: 'A', address } : { type: 'AAAA', address },
      });
    }
    return out;
  }
}
