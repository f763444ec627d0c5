// A pod's hostname and its kubelet-managed /etc/hosts (kubelet GeneratePodHostNameAndDomain,
// managedHostsFileContent, nodeHostsFileContent; Kubernetes docs "Adding entries to Pod
// /etc/hosts with HostAliases").

import type { ClusterConfig } from '../../api/cluster-config.js';
import { podIPs } from '../../api/pod.js';
import type { HostAlias, Pod } from '../../api/types.js';

/** A Linux nodename holds 64 bytes with its terminator. */
const HOSTNAME_MAX_LENGTH = 63;
/** The kernel's nodename field: an FQDN hostname must fit in 64 characters. */
const FQDN_MAX_LENGTH = 64;

export const MANAGED_HOSTS_HEADER = '# Kubernetes-managed hosts file.\n';
export const MANAGED_HOSTS_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

// The kubelet's fixed entries. `fe00::0 ip6-mcastprefix` and `fe00::1`/`fe00::2` are what the
// kubelet writes (Docker writes ff00::0, ff02::1, ff02::2); podnet writes the same bytes.
const MANAGED_LOCALHOST =
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\n' +
  'fe00::0\tip6-mcastprefix\n' +
  'fe00::1\tip6-allnodes\n' +
  'fe00::2\tip6-allrouters\n';

// What Docker writes into a kind node's /etc/hosts, before the node's own line.
const DOCKER_LOCALHOST =
  '127.0.0.1\tlocalhost\n' +
  '::1\tlocalhost ip6-localhost ip6-loopback\n' +
  'fe00::0\tip6-localnet\n' +
  'ff00::0\tip6-mcastprefix\n' +
  'ff02::1\tip6-allnodes\n' +
  'ff02::2\tip6-allrouters\n';

export interface PodHostname {
  /** spec.hostname or the pod name, cut to 63 characters. */
  hostname: string;
  /** `<subdomain>.<ns>.svc.<domain>` when spec.subdomain is set, else empty. */
  domain: string;
  /**
   * What `hostname` prints in the container: the node's name for hostNetwork pods, the FQDN with
   * setHostnameAsFQDN, else the hostname. Undefined when the kubelet cannot create the sandbox
   * (an FQDN longer than 64 characters).
   */
  kernelHostname: string | undefined;
  warnings: string[];
}

/** GeneratePodHostNameAndDomain and GetNodenameForKernel; names were validated at admission. */
export function podHostname(pod: Pod, config: ClusterConfig): PodHostname {
  const warnings: string[] = [];
  let hostname = pod.spec.hostname || pod.metadata.name;
  if (hostname.length > HOSTNAME_MAX_LENGTH) {
    // The kubelet truncates and trims a trailing '-' or '.', so the result is still a label.
    hostname = hostname.slice(0, HOSTNAME_MAX_LENGTH).replace(/[-.]+$/, '');
    warnings.push(
      `hostname for pod was too long (max ${HOSTNAME_MAX_LENGTH} characters), truncated it to ${hostname}`,
    );
  }
  const ns = pod.metadata.namespace ?? 'default';
  const domain = pod.spec.subdomain ? `${pod.spec.subdomain}.${ns}.svc.${config.clusterDomain}` : '';
  let kernelHostname: string | undefined = hostname;
  if (pod.spec.hostNetwork) {
    // The sandbox shares the node's UTS namespace: the node's hostname, which kind sets to the
    // node name.
    kernelHostname = pod.spec.nodeName;
  } else if (domain && pod.spec.setHostnameAsFQDN) {
    const fqdn = `${hostname}.${domain}`;
    if (fqdn.length > FQDN_MAX_LENGTH) {
      kernelHostname = undefined;
      warnings.push(
        `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${FQDN_MAX_LENGTH} characters is the max, ${fqdn.length} characters requested)`,
      );
    } else {
      kernelHostname = fqdn;
    }
  }
  return { hostname, domain, kernelHostname, warnings };
}

/** hostsEntriesFromHostAliases: one line per alias, its hostnames tab-separated. */
function hostAliasEntries(aliases: readonly HostAlias[] | undefined): string {
  if (!aliases || aliases.length === 0) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

/**
 * A stand-in for a node's own /etc/hosts when none is given: what Docker writes into a kind
 * node container, with the node's addresses (the pod's hostIPs) and name.
 */
export function standInNodeHostsFile(pod: Pod): string {
  let out = DOCKER_LOCALHOST;
  const nodeName = pod.spec.nodeName;
  let hostIPs = pod.status?.hostIPs?.map((h) => h.ip) ?? [];
  if (hostIPs.length === 0 && pod.status?.hostIP) hostIPs = [pod.status.hostIP];
  if (nodeName) for (const ip of hostIPs) out += `${ip}\t${nodeName}\n`;
  return out;
}

/**
 * The pod's /etc/hosts. Pod-network pods get the managed file: localhost entries, one line per
 * pod IP naming the pod (with its FQDN first when it has a subdomain), then the HostAliases.
 * hostNetwork pods get the node's own file (`nodeHostsFile`, or a stand-in) under a header, plus
 * their HostAliases. The kubelet mounts the file only once the sandbox has its IPs, so a pod
 * without one never runs with it; podnet still renders it, without the pod's own line.
 */
export function hostsFile(pod: Pod, config: ClusterConfig, nodeHostsFile?: string): string {
  if (pod.spec.hostNetwork) {
    return (
      MANAGED_HOSTS_HEADER_HOST_NETWORK +
      (nodeHostsFile ?? standInNodeHostsFile(pod)) +
      hostAliasEntries(pod.spec.hostAliases)
    );
  }
  const { hostname, domain } = podHostname(pod, config);
  let out = MANAGED_HOSTS_HEADER + MANAGED_LOCALHOST;
  for (const ip of podIPs(pod)) {
    out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  }
  return out + hostAliasEntries(pod.spec.hostAliases);
}
