// Does a Service fit this cluster's configuration? kube-apiserver refuses a requested clusterIP
// outside its --service-cluster-ip-range and a nodePort outside --service-node-port-range. A
// podnet "cluster" is a config file (or the kind-like defaults), and manifests exported from a
// real cluster often carry that cluster's addresses: the message says where to set them.

import { cidrContains, cidrLast, formatCIDR, parseIP } from '../../ip/index.js';
import { type ClusterConfig, serviceSubnetFor } from '../cluster-config.js';
import type { FieldError } from '../errors.js';
import type { Service } from '../types.js';
import { invalid, Path } from './path.js';

const SPEC = Path.of('spec');
const CIDR_HINT =
  'if the manifests come from a cluster with other service CIDRs, give them in the cluster config file (--config)';
const PORT_HINT =
  'if the manifests come from a cluster with another node port range, give it in the cluster config file (--config)';

function ipRangeProblem(ip: string, config: ClusterConfig): string | undefined {
  const parsed = parseIP(ip);
  if (!parsed) return undefined; // reported by validation
  const cidr = serviceSubnetFor(config, parsed.family);
  // The network address is never allocated, nor is the IPv4 broadcast address.
  const usable =
    cidr !== undefined &&
    cidrContains(cidr, parsed) &&
    parsed.value !== cidr.base &&
    !(parsed.family === 'IPv4' && parsed.value === cidrLast(cidr).value);
  if (usable) return undefined;
  const valid = config.serviceSubnets.map(formatCIDR).join(', ');
  return `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${valid}; ${CIDR_HINT}`;
}

export function validateServiceFitsCluster(s: Service, config: ClusterConfig, errs: FieldError[]): void {
  const spec = s.spec;
  if (spec.type === 'ExternalName') return;
  const ips = spec.clusterIPs ?? [];
  for (const ip of ips) {
    if (ip === 'None') continue;
    const problem = ipRangeProblem(ip, config);
    if (problem) {
      errs.push(invalid(SPEC.child('clusterIPs'), ips, problem));
      break;
    }
  }
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  const { min, max } = config.nodePortRange;
  const outside = (port: number) => port < min || port > max;
  const detail = `provided port is not in the valid range. The range of valid ports is ${min}-${max}; ${PORT_HINT}`;
  spec.ports?.forEach((port, i) => {
    if (port.nodePort && outside(port.nodePort))
      errs.push(invalid(SPEC.child('ports').index(i).child('nodePort'), port.nodePort, detail));
  });
  const hc = spec.healthCheckNodePort;
  if (hc && outside(hc)) errs.push(invalid(SPEC.child('healthCheckNodePort'), hc, detail));
}
