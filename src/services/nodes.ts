// Nodes as kube-proxy knows them: the primary address of each family (the addresses NodePorts
// are served on, and the masquerade source) and the zone label topology hints are read against.

import type { Node } from '../api/types.js';
import { formatIP, type IPFamily, parseIP } from '../ip/index.js';
import type { NodeInfo } from './types.js';

export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/**
 * utilnode.GetNodeHostIPs: the first InternalIP of each family, else the first ExternalIP of it.
 * kube-proxy in nftables mode serves NodePorts on these addresses only (`--nodeport-addresses
 * primary`, the nftables default).
 */
export function nodeInfo(node: Node): NodeInfo {
  const internal: Partial<Record<IPFamily, string>> = {};
  const external: Partial<Record<IPFamily, string>> = {};
  for (const a of node.status?.addresses ?? []) {
    if (a.type !== 'InternalIP' && a.type !== 'ExternalIP') continue;
    const ip = parseIP(a.address);
    if (!ip) continue;
    const into = a.type === 'InternalIP' ? internal : external;
    into[ip.family] ??= formatIP(ip);
  }
  const addresses: Partial<Record<IPFamily, string>> = {};
  for (const family of ['IPv4', 'IPv6'] as const) {
    const ip = internal[family] ?? external[family];
    if (ip !== undefined) addresses[family] = ip;
  }
  const zone = node.metadata.labels?.[LABEL_ZONE];
  return zone ? { name: node.metadata.name, zone, addresses } : { name: node.metadata.name, addresses };
}
