// hostPort bookkeeping per node, as the NodePorts filter and the kubelet's admission see it
// (scheduler framework HostPortInfo): a (hostIP, protocol, port) triple may be used once, and
// hostIP 0.0.0.0 (the default) conflicts with every address on the same protocol and port.

import type { Pod } from '../../api/types.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

const ANY = '0.0.0.0';

const NONE: readonly HostPort[] = [];

/** The host ports a pod's containers ask for (one shared empty list for the many without). */
export function hostPortsOf(pod: Pod): readonly HostPort[] {
  let out: HostPort[] | undefined;
  for (const c of pod.spec.containers ?? []) {
    if (!c.ports) continue;
    for (const p of c.ports) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out ??= [];
      out.push({ ip: p.hostIP || ANY, protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out ?? NONE;
}

export class NodeHostPorts {
  // `protocol/port` -> host IPs bound on it.
  private readonly used = new Map<string, Set<string>>();

  conflicts(ports: readonly HostPort[]): boolean {
    for (const p of ports) {
      const ips = this.used.get(`${p.protocol}/${p.port}`);
      if (!ips || ips.size === 0) continue;
      if (p.ip === ANY || ips.has(p.ip) || ips.has(ANY)) return true;
    }
    return false;
  }

  add(ports: readonly HostPort[]): void {
    for (const p of ports) {
      const key = `${p.protocol}/${p.port}`;
      const ips = this.used.get(key);
      if (ips) ips.add(p.ip);
      else this.used.set(key, new Set([p.ip]));
    }
  }
}
