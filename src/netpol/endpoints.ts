// Addresses to connection ends: which pod or node holds an address, and which address a pod or
// node uses in a family. Built from the snapshot as it is (reported podIPs, node InternalIPs);
// nothing is allocated here.

import { podIPs } from '../api/pod.js';
import type { Node, Pod } from '../api/types.js';
import { formatIP, type IP, type IPFamily, parseIP } from '../ip/index.js';
import type { Store } from '../store/store.js';
import type { Endpoint } from './types.js';

/** Succeeded and Failed pods have released their sandbox and with it their address. */
export function holdsIP(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * The canonical text of a reported address. Validation rejects IPv4 text with leading zeros, so
 * dotted quads are canonical as written and skip the parse (150,000 of them at the envelope);
 * IPv6 text may be written in any of its forms.
 */
function canonical(s: string): string | undefined {
  if (!s.includes(':')) return s;
  const ip = parseIP(s);
  return ip ? formatIP(ip) : undefined;
}

function nodeInternalIPs(node: Node): IP[] {
  const out: IP[] = [];
  for (const a of node.status?.addresses ?? []) {
    if (a.type !== 'InternalIP') continue;
    const ip = parseIP(a.address);
    if (ip) out.push(ip);
  }
  return out;
}

/**
 * When two pods report one address (a snapshot taken mid-churn), the one that can be holding it
 * now wins: a Running pod over a Pending or Unknown one, then the first by namespace/name.
 */
function preferred(a: Pod, b: Pod): Pod {
  const ar = a.status?.phase === 'Running';
  const br = b.status?.phase === 'Running';
  if (ar !== br) return ar ? a : b;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka <= kb ? a : b;
}

export class EndpointIndex {
  private readonly nodeIPs = new Map<string, IP[]>();
  private readonly nodeByIP = new Map<string, string>();
  // Keyed by canonical text; built on the first address lookup: the matrix never needs it, a
  // trace does.
  private podByIP: Map<string, Pod> | undefined;

  constructor(private readonly store: Store) {
    for (const node of store.list('Node')) {
      const ips = nodeInternalIPs(node);
      this.nodeIPs.set(node.metadata.name, ips);
      // Two nodes claiming one InternalIP is warned about by the nodes controller; the first
      // node in the store keeps it here.
      for (const ip of ips) {
        const key = formatIP(ip);
        if (!this.nodeByIP.has(key)) this.nodeByIP.set(key, node.metadata.name);
      }
    }
  }

  /** A node's InternalIP of a family (default: its first InternalIP). */
  nodeEndpoint(node: string, family?: IPFamily): Endpoint | undefined {
    const ips = this.nodeIPs.get(node);
    const ip = family === undefined ? ips?.[0] : ips?.find((i) => i.family === family);
    return ip ? { kind: 'node', node, ip } : undefined;
  }

  podEndpoint(pod: Pod, family?: IPFamily): Endpoint | undefined {
    if (!holdsIP(pod)) return undefined;
    const reported = podIPs(pod);
    if (pod.spec.hostNetwork) {
      const node = pod.spec.nodeName;
      if (!node) return undefined;
      const want = family ?? (reported.length > 0 ? parseIP(reported[0])?.family : undefined);
      const end = this.nodeEndpoint(node, want);
      return end ? { kind: 'node', node, ip: end.ip, pod } : undefined;
    }
    for (const s of reported) {
      const ip = parseIP(s);
      if (ip && (family === undefined || ip.family === family)) return { kind: 'pod', pod, ip };
    }
    return undefined;
  }

  ipEndpoint(ip: IP): Endpoint {
    const key = formatIP(ip);
    const pod = this.pods().get(key);
    if (pod) return { kind: 'pod', pod, ip };
    const node = this.nodeByIP.get(key);
    if (node !== undefined) return { kind: 'node', node, ip };
    return { kind: 'external', ip };
  }

  private pods(): Map<string, Pod> {
    if (this.podByIP) return this.podByIP;
    const index = new Map<string, Pod>();
    for (const pod of this.store.list('Pod')) {
      // hostNetwork pods report their node's address: that address is the node's.
      if (pod.spec.hostNetwork || !holdsIP(pod)) continue;
      for (const s of podIPs(pod)) {
        const key = canonical(s);
        if (key === undefined) continue;
        const other = index.get(key);
        index.set(key, other ? preferred(other, pod) : pod);
      }
    }
    this.podByIP = index;
    return index;
  }
}
