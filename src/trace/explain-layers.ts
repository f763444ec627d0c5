// The layers between the source and the policies, in words: the name lookup, the ingress
// controller's routing, kube-proxy's frontend and endpoint choice with its NAT, a hostPort, and
// the controller's choice of upstream. Each function returns the lines of one hop's block.

import type { EndpointCandidate } from '../services/types.js';
import { endDetail, explainPolicy } from './explain.js';
import type { DNSHop, HostPortHop, IngressHop, ServiceHop, ServiceMissHop, UpstreamHop } from './types.js';

/** Candidates listed in a block; the JSON lists every one. */
const MAX_LISTED = 8;

/** `10.244.1.5:80`, `[fd00::5]:80`. */
export function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export function explainDNS(hop: DNSHop): string[] {
  const { question, resolver } = hop;
  const who = resolver.pod
    ? `asked by ${resolver.pod} (search ${resolver.searches.join(' ') || '(none)'}; ndots:${resolver.ndots})`
    : 'asked as an absolute name (a node or an outside client has no cluster search list)';
  const lines = [`${question.name} ${question.type}, ${who}`];
  if (resolver.elsewhere) lines.push(resolver.elsewhere);
  if (hop.unanswered) {
    const u = hop.unanswered;
    for (const s of hop.searched) lines.push(`  ${s.name} no answer  <-`);
    lines.push(u.reason);
    for (const p of [u.egress, u.ingress]) {
      if (!p || p.allowed) continue;
      const [head, ...rest] = explainPolicy(p);
      const dir = p.kind === 'egress-policy' ? 'egress' : 'ingress';
      lines.push(`  ${dir} denied: ${head}`, ...rest.map((l) => `    ${l}`));
    }
    if (u.outcome === 'denied')
      lines.push(
        'glibc asks over UDP and retries over TCP only when an answer is truncated; allow egress to namespaceSelector kubernetes.io/metadata.name=kube-system with podSelector k8s-app=kube-dns on 53/UDP and 53/TCP',
      );
    return lines;
  }
  for (const s of hop.searched) {
    const rcode = s.rcode === 'not-sent' ? 'not sent: longer than a domain name may be' : s.rcode;
    lines.push(`  ${s.name} ${rcode}${s.name === hop.name ? '  <-' : ''}`);
  }
  for (const a of hop.answers) lines.push(`  ${a.name} ${a.ttl} IN ${a.type} ${a.data}`);
  if (hop.address !== undefined) {
    lines.push(`the client connects to ${hop.address}`);
    return lines;
  }
  const cname = hop.answers.find((a) => a.type === 'CNAME');
  if (cname) {
    lines.push(
      `${cname.name} is an alias for ${cname.data}, outside the cluster zones: the cluster DNS would resolve it upstream, which podnet does not model`,
    );
  } else if (hop.rcode === 'REFUSED') {
    lines.push(
      `${hop.name} is outside the cluster zones: the cluster DNS would forward it upstream, which podnet does not model`,
    );
    if (hop.hint) lines.push(hop.hint);
  } else if (hop.rcode === 'NOERROR') {
    lines.push(`${hop.name} exists but has no ${question.type} record (NODATA): the name has no address`);
  } else lines.push(`no name of the search resolves: the lookup fails (${hop.rcode})`);
  return lines;
}

function controllerWords(hop: IngressHop): string {
  const c = hop.controller;
  const at =
    c.mode === 'host'
      ? `played by podnet as a process on ${endDetail(c.endpoint)}, as kind runs ingress-nginx with hostPorts 80 and 443`
      : `${endDetail(c.endpoint)}`;
  return `the ingress controller ${c.name} (class ${c.classes.join(', ') || 'none: Ingresses without a class'}), ${at}`;
}

export function explainIngress(hop: IngressHop): string[] {
  const r = hop.request;
  const port = r.port === (r.scheme === 'https' ? 443 : 80) ? '' : `:${r.port}`;
  const host = r.host.includes(':') ? `[${r.host}]` : r.host;
  const lines = [`${r.scheme}://${host}${port}${r.path} reaches ${controllerWords(hop)}`];
  if (hop.via === 'name')
    lines.push(
      `${r.host} is taken to resolve to the controller, as public DNS for an Ingress host points there`,
    );
  lines.push(hop.reason);
  if (hop.backend && 'service' in hop.backend && hop.status === undefined) {
    const b = hop.backend.service;
    lines.push(
      `backend: Service ${b.namespace}/${b.name} port ${b.port}${hop.defaultBackend ? ' (spec.defaultBackend)' : ''}`,
    );
  }
  if (hop.status !== undefined)
    lines.push(`the controller answers ${hop.status}${hop.redirect ? `, Location: ${hop.redirect}` : ''}`);
  if (hop.tls) {
    lines.push(
      hop.tls.secret
        ? `TLS: the certificate of Secret ${hop.tls.secret} is served for ${hop.tls.host} (SNI)`
        : `TLS: ${hop.tls.problem ?? 'the default certificate is served'}`,
    );
  }
  for (const i of hop.ignored) lines.push(`ignored: Ingress ${i.ingress} also names this host: ${i.reason}`);
  return lines;
}

function candidateText(c: EndpointCandidate): string {
  const who = c.pod ? `${c.pod} ` : '';
  const where = c.node ? ` on ${c.node}` : '';
  const state = c.ready ? '' : c.serving ? ' (serving, terminating)' : ' (not serving)';
  return `${who}${hostPort(c.ip, c.port)}${where}${state}`;
}

function listCandidates(title: string, list: readonly EndpointCandidate[]): string[] {
  if (list.length === 0) return [];
  const shown = list.slice(0, MAX_LISTED).map((c) => `  ${candidateText(c)}`);
  if (list.length > MAX_LISTED)
    shown.push(`  ... and ${list.length - MAX_LISTED} more (-o json lists them all)`);
  return [`${title}:`, ...shown];
}

const EXCLUSION: Readonly<Record<string, string>> = {
  'not-serving': 'not ready',
  terminating: 'terminating',
  'not-local': 'on another node',
  'not-hinted': 'hinted for another zone or node',
};

function excludedLines(excluded: ServiceHop['excluded']): string[] {
  if (excluded.length === 0) return [];
  const shown = excluded
    .slice(0, MAX_LISTED)
    .map((e) => `  ${candidateText(e.endpoint)}: ${EXCLUSION[e.why] ?? e.why}`);
  if (excluded.length > MAX_LISTED) shown.push(`  ... and ${excluded.length - MAX_LISTED} more`);
  return ['not candidates:', ...shown];
}

function frontendText(hop: ServiceHop): string {
  const f = hop.frontend;
  const at = hostPort(f.ip ?? '', f.port);
  const node = f.kind === 'NodePort' && f.node ? ` of node ${f.node}` : '';
  const kind =
    f.kind === 'ClusterIP'
      ? 'cluster IP'
      : f.kind === 'ExternalIP'
        ? 'external IP'
        : f.kind === 'LoadBalancer'
          ? 'load-balancer address'
          : 'NodePort';
  return `Service ${hop.service}: ${kind} ${at}/${f.protocol}${node} (port ${f.servicePort})`;
}

export function explainService(hop: ServiceHop): string[] {
  const lines = [frontendText(hop), hop.reason];
  if (hop.outcome !== 'forward') return [...lines, ...excludedLines(hop.excluded)];
  const each = hop.candidates.length > 1 ? `, each 1/${hop.candidates.length}` : '';
  lines.push(...listCandidates(`candidates (${hop.selection}${each})`, hop.candidates));
  lines.push(...excludedLines(hop.excluded));
  if (hop.chosen) lines.push(`chosen: ${candidateText(hop.chosen)}`);
  const nat: string[] = [];
  if (hop.nat.dnat) nat.push(`DNAT to ${hostPort(hop.nat.dnat.ip, hop.nat.dnat.port)}`);
  nat.push(
    hop.nat.snat
      ? `SNAT to ${hop.nat.snat.to} (${hop.nat.snat.why})`
      : 'no SNAT: the endpoint sees the client address',
  );
  lines.push(nat.join('; '));
  if (hop.sessionAffinity)
    lines.push(`sessionAffinity ClientIP, timeout ${hop.sessionAffinity.timeoutSeconds} s`);
  if (hop.healthCheckNodePort !== undefined)
    lines.push(`load balancers probe healthCheckNodePort ${hop.healthCheckNodePort} on each node`);
  return lines;
}

export function explainServiceMiss(hop: ServiceMissHop): string[] {
  const sees =
    hop.outcome === 'reject'
      ? 'the client sees "connection refused" at once'
      : 'the packet is dropped: the client times out';
  return [`${hostPort(hop.ip, hop.port)}/${hop.protocol}: ${hop.reason}`, sees];
}

export function explainHostPort(hop: HostPortHop): string[] {
  const bound = hop.hostIP ? ` bound to ${hop.hostIP}` : '';
  const to = hostPort(hop.nat.dnat.ip, hop.nat.dnat.port);
  const lines = [
    `hostPort ${hop.port}/${hop.protocol}${bound} of node ${hop.node} (${hop.ip}) forwards to pod ${hop.pod}, container ${hop.container}: DNAT to ${to} (CNI portmap)`,
  ];
  lines.push(
    hop.nat.snat
      ? `the pod reaches itself through its own hostPort: portmap masquerades the connection to ${hop.nat.snat.to}`
      : 'no SNAT: the pod sees the client address',
  );
  return lines;
}

export function explainUpstream(hop: UpstreamHop): string[] {
  const lines = [hop.reason];
  lines.push(...listCandidates('candidates (ready)', hop.candidates));
  lines.push(...excludedLines(hop.excluded));
  if (hop.chosen) lines.push(`chosen: ${candidateText(hop.chosen)}`);
  return lines;
}
