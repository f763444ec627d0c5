// A pod's /etc/resolv.conf, as the kubelet composes it (Kubernetes docs "DNS for Services and
// Pods" -> "Pod's DNS Policy" and "Pod's DNS Config"; kubelet pkg/kubelet/network/dns GetPodDNS)
// and the container runtime writes it (search, nameserver, options lines, in that order).

import { type ClusterConfig, wellKnownServiceIP } from '../../api/cluster-config.js';
import type { Pod } from '../../api/types.js';
import { formatIP, nthAddress } from '../../ip/index.js';
import type { Store } from '../../store/store.js';

export interface DNSOption {
  name: string;
  value?: string;
}

/** What the kubelet based the file on: the cluster DNS, the node's resolv.conf, or nothing. */
export type DNSBase = 'cluster' | 'host' | 'none';

export interface ResolvConf {
  text: string;
  nameservers: string[];
  searches: string[];
  options: DNSOption[];
  base: DNSBase;
  /** The kubelet's DNSConfigForming events: limits exceeded, entries omitted. */
  warnings: string[];
}

export interface DNSInputs {
  /** The kubelet's --cluster-dns addresses. */
  clusterDNS: readonly string[];
  /** The node's resolv.conf (the kubelet's --resolv-conf file); a stand-in when absent. */
  hostResolvConf?: string;
}

// Limits of the pod API validation, which the kubelet also applies to what it composes
// (ExpandedDNSConfig, GA in 1.28; derived from glibc's resolver).
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** Longer search domains abort some resolvers (glibc 2.28); the kubelet drops them. */
const MAX_SEARCH_DOMAIN_LENGTH = 253;

/** ndots:5 so that `svc.ns` and `svc.ns.svc` go through the search path before the root. */
const CLUSTER_OPTIONS = ['ndots:5'];

/** A resolv.conf as the kubelet reads it. */
export interface HostDNSConfig {
  servers: string[];
  searches: string[];
  /** Options as the kubelet keeps them: `name` or `name:value`. */
  options: string[];
}

/** Merges options by name (the text before the first `:`), a later one replacing an earlier. */
function appendOptions(options: Map<string, string | undefined>, raw: readonly string[]): void {
  for (const o of raw) {
    const i = o.indexOf(':');
    options.set(i < 0 ? o : o.slice(0, i), i < 0 ? undefined : o.slice(i + 1));
  }
}

function toOptionStrings(options: Map<string, string | undefined>): string[] {
  return [...options].map(([name, value]) =>
    value === undefined || value === '' ? name : `${name}:${value}`,
  );
}

/**
 * Parses a resolv.conf as the kubelet does: `nameserver` lines accumulate, the last `search` line
 * wins (a trailing dot is dropped and `.` ignored, so a domain counts once against the limits),
 * `options` accumulate by name, `#` starts a comment line.
 */
export function parseResolvConf(text: string): HostDNSConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  const options = new Map<string, string | undefined>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/).filter(Boolean);
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver' && fields.length >= 2) servers.push(fields[1]);
    if (fields[0] === 'search') {
      searches = fields
        .slice(1)
        .filter((s) => s !== '.')
        .map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
    }
    if (fields[0] === 'options') appendOptions(options, fields.slice(1));
  }
  return { servers, searches, options: toOptionStrings(options) };
}

/**
 * The node's resolv.conf when none is given: a kind node's, where Docker's embedded resolver
 * (127.0.0.11, with `options ndots:0`) is rewritten to the node network's gateway, the first
 * address of the node subnet.
 */
export function standInHostResolvConf(config: ClusterConfig): string {
  return `nameserver ${formatIP(nthAddress(config.nodeSubnets[0], 1))}\noptions ndots:0\n`;
}

/**
 * The kubelet's --cluster-dns: the `kube-system/kube-dns` Service's cluster IP when the snapshot
 * has one, else the address kubeadm configures (the tenth of the primary Service CIDR).
 */
export function clusterDNSAddresses(store: Store, config: ClusterConfig): string[] {
  const ip = store.get('Service', 'kube-system', 'kube-dns')?.spec.clusterIP;
  if (ip && ip !== 'None') return [ip];
  return [formatIP(wellKnownServiceIP(config, 10))];
}

/** getPodDNSType: ClusterFirst falls back to the node's settings for hostNetwork pods. */
export function dnsBase(pod: Pod): DNSBase {
  switch (pod.spec.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'ClusterFirst':
      return pod.spec.hostNetwork ? 'host' : 'cluster';
    case 'Default':
      return 'host';
  }
}

function omitDuplicates(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** formDNSSearchFitsLimits: at most 32 domains, none over 253 chars, 2048 chars in all. */
function fitSearches(searches: string[], warnings: string[]): string[] {
  let exceeded = false;
  let out = searches;
  if (out.length > MAX_DNS_SEARCH_PATHS) {
    out = out.slice(0, MAX_DNS_SEARCH_PATHS);
    exceeded = true;
  }
  const short = out.filter((s) => s.length <= MAX_SEARCH_DOMAIN_LENGTH);
  if (short.length !== out.length) exceeded = true;
  out = short;
  // Whole domains are cut from the end until the line (domains joined by spaces) fits.
  let length = out.join(' ').length;
  if (length > MAX_DNS_SEARCH_LIST_CHARS) {
    exceeded = true;
    while (out.length > 0 && length > MAX_DNS_SEARCH_LIST_CHARS) {
      length -= out[out.length - 1].length + 1;
      out = out.slice(0, -1);
    }
  }
  if (exceeded) {
    warnings.push(
      `DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}`,
    );
  }
  return out;
}

/** formDNSNameserversFitsLimits: the first three nameservers are kept. */
function fitNameservers(servers: string[], warnings: string[]): string[] {
  if (servers.length <= MAX_DNS_NAMESERVERS) return servers;
  const out = servers.slice(0, MAX_DNS_NAMESERVERS);
  warnings.push(
    `DNSConfigForming: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${out.join(' ')}`,
  );
  return out;
}

/** The resolv.conf text as the container runtime writes it. */
export function renderResolvConf(
  servers: readonly string[],
  searches: readonly string[],
  options: readonly string[],
): string {
  let text = '';
  if (searches.length > 0) text += `search ${searches.join(' ')}\n`;
  for (const s of servers) text += `nameserver ${s}\n`;
  if (options.length > 0) text += `options ${options.join(' ')}\n`;
  return text;
}

/** GetPodDNS: the base for the pod's policy, then its dnsConfig, then the limits. */
export function resolvConf(pod: Pod, config: ClusterConfig, inputs: DNSInputs): ResolvConf {
  const host = parseResolvConf(inputs.hostResolvConf ?? standInHostResolvConf(config));
  const warnings: string[] = [];
  let base = dnsBase(pod);
  if (base === 'cluster' && inputs.clusterDNS.length === 0) {
    base = 'host';
    warnings.push(
      'MissingClusterDNS: kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
    );
  }
  let servers: string[];
  let searches: string[];
  const options = new Map<string, string | undefined>();
  if (base === 'none') {
    servers = [];
    searches = [];
  } else if (base === 'cluster') {
    // The cluster DNS is the only nameserver (it forwards what it cannot answer); the node's
    // search domains follow the cluster's, and the node's options give way to ndots:5.
    const domain = config.clusterDomain;
    const ns = pod.metadata.namespace ?? 'default';
    servers = [...inputs.clusterDNS];
    searches = domain
      ? omitDuplicates([`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches])
      : host.searches;
    appendOptions(options, CLUSTER_OPTIONS);
  } else {
    servers = host.servers;
    searches = host.searches;
    appendOptions(options, host.options);
  }

  const dnsConfig = pod.spec.dnsConfig;
  if (dnsConfig) {
    servers = omitDuplicates([...servers, ...(dnsConfig.nameservers ?? [])]);
    searches = omitDuplicates([...searches, ...(dnsConfig.searches ?? [])]);
    for (const o of dnsConfig.options ?? []) options.set(o.name, o.value);
  }

  servers = fitNameservers(servers, warnings);
  searches = fitSearches(searches, warnings);
  const optionStrings = toOptionStrings(options);
  return {
    text: renderResolvConf(servers, searches, optionStrings),
    nameservers: servers,
    searches,
    options: [...options].map(([name, value]) =>
      value === undefined || value === '' ? { name } : { name, value },
    ),
    base,
    warnings,
  };
}
