// What the kubelet gives every container besides its interface: the Service environment
// variables, /etc/resolv.conf, /etc/hosts and the hostname. A pure function of the snapshot, so
// the analyzer can show it and the lab can start workloads with exactly this.

import type { ClusterConfig } from '../../api/cluster-config.js';
import type { EnvVar, Pod } from '../../api/types.js';
import type { Store } from '../../store/store.js';
import { hostsFile, podHostname } from './hosts-file.js';
import { serviceEnvironment } from './pod-env.js';
import { clusterDNSAddresses, type ResolvConf, resolvConf } from './resolv-conf.js';

export { podIPs } from '../../api/pod.js';
export { hostsFile, podHostname, standInNodeHostsFile } from './hosts-file.js';
export { serviceEnvironment, serviceVariables, visibleServices } from './pod-env.js';
export {
  clusterDNSAddresses,
  type DNSBase,
  type DNSInputs,
  type DNSOption,
  dnsBase,
  type HostDNSConfig,
  parseResolvConf,
  type ResolvConf,
  resolvConf,
  standInHostResolvConf,
} from './resolv-conf.js';

/** The node's own files, where a caller has them (the lab reads them; analysis uses stand-ins). */
export interface NodeFiles {
  resolvConf?: string;
  hosts?: string;
}

export interface PodNetworkEnvironment {
  /** The Service variables; a container's own `env` entries override these by name. */
  env: EnvVar[];
  resolvConf: ResolvConf;
  hosts: string;
  /** What `hostname` prints; undefined when the kubelet would fail to create the sandbox. */
  hostname: string | undefined;
  /** What the kubelet would log or record as events for this pod (limits, truncation). */
  warnings: string[];
}

export function podNetworkEnvironment(
  pod: Pod,
  store: Store,
  config: ClusterConfig,
  node: NodeFiles = {},
): PodNetworkEnvironment {
  const dns = resolvConf(pod, config, {
    clusterDNS: clusterDNSAddresses(store, config),
    hostResolvConf: node.resolvConf,
  });
  const name = podHostname(pod, config);
  return {
    env: serviceEnvironment(pod, store),
    resolvConf: dns,
    hosts: hostsFile(pod, config, node.hosts),
    hostname: name.kernelHostname,
    warnings: [...dns.warnings, ...name.warnings],
  };
}
