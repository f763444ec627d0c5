// The client's name lookup, as the dns hop shows it: a pod's glibc resolver walks its
// resolv.conf search list against the cluster DNS (src/dns/resolver.ts, the same walk as
// `podnet dns --from`); a node or an outside client asks for the name as written, absolute,
// since neither has the cluster's search list (and kind's nodes do not even ask the cluster DNS).
// The client connects to the first address of the answer.

import { clusterDNSAddresses, resolvConf } from '../controllers/kubelet/pod-network.js';
import { dnsBase } from '../controllers/kubelet/resolv-conf.js';
import { ndotsOf, type ResolverConfig, resolve } from '../dns/resolver.js';
import { presentData } from '../dns/types.js';
import { formatIP, type IP, type IPFamily, parseIP } from '../ip/index.js';
import type { Endpoint } from '../netpol/types.js';
import type { TraceContext } from './context.js';
import { policyHops } from './deliver.js';
import { endRef, podName } from './refs.js';
import { cross } from './translate.js';
import type { DNSHop, DNSUnanswered, TraceVerdict } from './types.js';

export interface NameLookup {
  readonly hop: DNSHop;
  /** The address the client connects to; absent when the lookup failed (then `verdict`). */
  readonly address?: IP;
  readonly verdict?: Extract<TraceVerdict, 'nxdomain' | 'refused' | 'denied' | 'no-endpoints' | 'no-route'>;
}

/** The port and protocol a lookup is checked on: glibc asks over UDP, and retries over TCP only on truncation. */
const DNS_PORT = 53;

/**
 * The query's own connection: the pod to the cluster DNS address on 53/UDP, through kube-proxy
 * (the kube-dns Service) to the CoreDNS pod it picks, with the policies at both ends. Undefined
 * when the query is answered; otherwise why it is not.
 */
function queryFate(ctx: TraceContext, from: Endpoint, server: IP): DNSUnanswered | undefined {
  const crossing = cross(ctx, from, server, DNS_PORT, 'UDP');
  const shown = `${hostPortText(server)}:${DNS_PORT}/UDP`;
  const serviceHop = crossing.hops.find((h) => h.kind === 'service');
  const service = serviceHop?.kind === 'service' ? serviceHop.service : undefined;
  const base = { server: shown, ...(service ? { service } : {}) };
  if (crossing.verdict || !crossing.to) {
    const stop = crossing.hops[crossing.hops.length - 1];
    const why = stop && 'reason' in stop ? stop.reason : 'nothing forwards it';
    const outcome = crossing.verdict === 'no-endpoints' ? 'no-endpoints' : 'no-route';
    return {
      ...base,
      outcome,
      reason: `the query to ${shown} gets no answer: ${why}; glibc gives up after its retries and the lookup fails`,
    };
  }
  if (crossing.to.endpoint.kind === 'external') {
    return {
      ...base,
      outcome: 'no-route',
      reason: `the query to ${shown} gets no answer: nothing of the cluster holds the cluster DNS address (no kube-system/kube-dns Service); the lookup times out`,
    };
  }
  const [egress, ingress] = policyHops(ctx, from, crossing.to, crossing.rewrite);
  if (egress.allowed && ingress.allowed) return undefined;
  const chosen = endRef(crossing.to.endpoint);
  const at = `${chosen.kind === 'pod' ? chosen.pod : chosen.ip} ${crossing.to.endpoint.ip.family === 'IPv6' ? `[${chosen.ip}]` : chosen.ip}:${crossing.to.port}/UDP`;
  const denied = [
    ...(egress.allowed ? [] : [`egress from ${podNameOf(from)}`]),
    ...(ingress.allowed
      ? []
      : [`ingress to the CoreDNS pod ${chosen.kind === 'pod' ? chosen.pod : chosen.ip}`]),
  ].join(' and ');
  return {
    ...base,
    outcome: 'denied',
    chosen,
    reason: `the lookup times out: the query to ${shown}${service ? ` (Service ${service}, sent to ${at})` : ''} is denied at ${denied}, and policies drop packets silently`,
    egress,
    ingress,
  };
}

function podNameOf(from: Endpoint): string {
  return from.kind === 'pod' ? podName(from.pod) : formatIP(from.ip);
}

function hostPortText(ip: IP): string {
  const text = formatIP(ip);
  return ip.family === 'IPv6' ? `[${text}]` : text;
}

const ABSOLUTE: ResolverConfig = { searches: [], options: [] };

/** The pod whose resolver asks: the source pod, or the hostNetwork pod speaking as its node. */
function askingPod(from: Endpoint) {
  return from.kind === 'pod' ? from.pod : from.kind === 'node' ? from.pod : undefined;
}

/** Looks `name` up as the client `from` would, for an address of `family`. */
export function lookupName(ctx: TraceContext, from: Endpoint, name: string, family: IPFamily): NameLookup {
  const type = family === 'IPv4' ? 'A' : 'AAAA';
  const zone = ctx.zone;
  const lookup = zone.lookup.bind(zone);
  const pod = askingPod(from);
  let resolver: DNSHop['resolver'];
  let conf = ABSOLUTE;
  let asked = name.endsWith('.') ? name : `${name}.`;
  let server: IP | undefined;
  if (pod) {
    const clusterDNS = clusterDNSAddresses(ctx.store, ctx.config);
    const resolv = resolvConf(pod, ctx.config, { clusterDNS });
    conf = resolv;
    asked = name;
    const first = resolv.nameservers[0] ?? '127.0.0.1';
    const elsewhere = clusterDNS.includes(first)
      ? undefined
      : `${podName(pod)} sends its queries to ${first}, not to the cluster DNS (${clusterDNS.join(', ')}); shown is what the cluster DNS would answer`;
    // A pod on the pod network whose resolver is the cluster DNS: its query is a connection of
    // its own, subject to kube-proxy and the policies (hostNetwork pods, nodes and outside
    // clients are not policed, and dnsPolicy Default or None asks another resolver).
    if (from.kind === 'pod' && !elsewhere && dnsBase(pod) === 'cluster') {
      const ip = parseIP(first);
      if (ip && ip.family === from.ip.family) server = ip;
    }
    resolver = {
      pod: podName(pod),
      searches: resolv.searches,
      ndots: ndotsOf(resolv),
      ...(elsewhere ? { elsewhere } : {}),
    };
  } else {
    resolver = { searches: [], ndots: 1 };
  }

  const r = resolve(asked, type, conf, lookup);
  const unanswered = server ? queryFate(ctx, from, server) : undefined;
  if (unanswered) {
    // glibc stops its search at the first query that gets no answer.
    const firstName = r.tried[0]?.name ?? asked;
    const hop: DNSHop = {
      kind: 'dns',
      question: { name, type },
      resolver,
      searched: [{ name: firstName, rcode: 'no-answer' }],
      name: firstName,
      rcode: 'no-answer',
      answers: [],
      unanswered,
    };
    return { hop, verdict: unanswered.outcome };
  }
  const answer = r.result.answer;
  const answers = (answer?.answers ?? []).map((rr) => ({
    name: rr.name,
    type: rr.data.type,
    ttl: rr.ttl,
    data: presentData(rr.data),
  }));
  const first = answers.find((a) => a.type === type);
  const hop: DNSHop = {
    kind: 'dns',
    question: { name, type },
    resolver,
    searched: r.tried.map((a) => ({ name: a.name, rcode: a.answer?.rcode ?? 'not-sent' })),
    name: r.result.name,
    rcode: answer?.rcode ?? 'not-sent',
    answers,
    ...(first ? { address: first.data } : {}),
  };
  if (first) return { hop, address: parseIP(first.data) as IP };
  // NXDOMAIN, no record of the type (NODATA), or a name too long to send: the name has no
  // address. REFUSED, or an alias whose target lies outside the cluster zones: the answer would
  // come from upstream, which the cluster DNS of the model does not reach.
  const outside = answer?.rcode === 'REFUSED' || answers.some((a) => a.type === 'CNAME');
  return { hop, verdict: outside ? 'refused' : 'nxdomain' };
}
