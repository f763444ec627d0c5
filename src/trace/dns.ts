// The client's name lookup, as the dns hop shows it: a pod's glibc resolver walks its
// resolv.conf search list against the cluster DNS (src/dns/resolver.ts, the same walk as
// `podnet dns --from`); a node or an outside client asks for the name as written, absolute,
// since neither has the cluster's search list (and kind's nodes do not even ask the cluster DNS).
// The client connects to the first address of the answer.

import { clusterDNSAddresses, resolvConf } from '../controllers/kubelet/pod-network.js';
import { ndotsOf, type ResolverConfig, resolve } from '../dns/resolver.js';
import { presentData } from '../dns/types.js';
import { type IP, type IPFamily, parseIP } from '../ip/index.js';
import type { Endpoint } from '../netpol/types.js';
import type { TraceContext } from './context.js';
import { podName } from './refs.js';
import type { DNSHop, TraceVerdict } from './types.js';

export interface NameLookup {
  readonly hop: DNSHop;
  /** The address the client connects to; absent when the lookup failed (then `verdict`). */
  readonly address?: IP;
  readonly verdict?: Extract<TraceVerdict, 'nxdomain' | 'refused'>;
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
  if (pod) {
    const clusterDNS = clusterDNSAddresses(ctx.store, ctx.config);
    const resolv = resolvConf(pod, ctx.config, { clusterDNS });
    conf = resolv;
    asked = name;
    const first = resolv.nameservers[0] ?? '127.0.0.1';
    const elsewhere = clusterDNS.includes(first)
      ? undefined
      : `${podName(pod)} sends its queries to ${first}, not to the cluster DNS (${clusterDNS.join(', ')}); shown is what the cluster DNS would answer`;
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
