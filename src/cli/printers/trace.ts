// How `podnet trace` prints a Trace: a block per hop for people, saying in words what decided and
// why; the Trace object itself for `-o json` (DESIGN.md "JSON shapes") and `-o yaml`.

import { stringify } from 'yaml';
import { endDetail, endName, explainDelivery, explainPolicy } from '../../trace/explain.js';
import {
  explainDNS,
  explainHostPort,
  explainIngress,
  explainService,
  explainServiceMiss,
  explainUpstream,
  hostPort,
} from '../../trace/explain-layers.js';
import type { EndRef, Hop, PolicyHop, Trace } from '../../trace/types.js';

/** Width of the hop name column, and of the allowed/denied column of policy hops. */
const LABEL = 10;
const VERDICT = 9;

function block(label: string, lines: readonly string[], indent: number): string {
  return lines.map((line, i) => (i === 0 ? label.padEnd(indent) : ' '.repeat(indent)) + line).join('\n');
}

function policyBlock(hop: PolicyHop): string {
  const label = hop.kind === 'egress-policy' ? 'egress' : 'ingress';
  const [first, ...rest] = explainPolicy(hop);
  const head = label.padEnd(LABEL) + (hop.allowed ? 'allowed' : 'denied').padEnd(VERDICT) + first;
  return [head, ...rest.map((line) => ' '.repeat(LABEL + VERDICT) + line)].join('\n');
}

function hopBlock(hop: Hop): string {
  switch (hop.kind) {
    case 'source':
      return block('source', [endDetail(hop.endpoint)], LABEL);
    case 'dns':
      return block('dns', explainDNS(hop), LABEL);
    case 'ingress':
      return block('http', explainIngress(hop), LABEL);
    case 'service':
      return block('service', explainService(hop), LABEL);
    case 'service-miss':
      return block('service', explainServiceMiss(hop), LABEL);
    case 'unrouted':
      return block('route', [`${hostPort(hop.ip, hop.port)}/${hop.protocol}: ${hop.reason}`], LABEL);
    case 'host-port':
      return block('hostport', explainHostPort(hop), LABEL);
    case 'upstream':
      return block('upstream', explainUpstream(hop), LABEL);
    case 'egress-policy':
    case 'ingress-policy':
      return policyBlock(hop);
    case 'delivery':
      return block('delivery', explainDelivery(hop), LABEL);
  }
}

/** `x/b 10.244.1.5:80/TCP`, `node n 172.18.0.3:10250/TCP`, `[2001:db8::1]:443/TCP`. */
function arrival(end: EndRef, port: number, protocol: string): string {
  const who = end.kind === 'external' ? '' : `${endName(end)} `;
  return `${who}${hostPort(end.ip, port)}/${protocol}`;
}

const HTTP_REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** What the HTTP client gets, after the verdict. */
function httpText(trace: Trace): string {
  const http = trace.http;
  if (!http) return '';
  if (http.status === undefined) return '; no HTTP response';
  let text = `; HTTP ${http.status} ${HTTP_REASONS[http.status] ?? ''}`.trimEnd();
  if (http.redirect) text += ` to ${http.redirect}`;
  if (http.backend) text += ` (backend Service ${http.backend.service} port ${http.backend.port})`;
  return text;
}

/** The last hop of a kind (the second leg's, when a URL went through the ingress controller). */
function last<K extends Hop['kind']>(
  hops: readonly Hop[],
  ...kinds: K[]
): Extract<Hop, { kind: K }> | undefined {
  for (let i = hops.length - 1; i >= 0; i--) {
    if ((kinds as string[]).includes(hops[i].kind)) return hops[i] as Extract<Hop, { kind: K }>;
  }
  return undefined;
}

/** The verdict and, for the verdicts that stop early, where. */
function verdictText(trace: Trace): string {
  const hops = trace.hops;
  switch (trace.verdict) {
    case 'delivered': {
      const d = last(hops, 'delivery');
      if (d) return `delivered to ${arrival(d.endpoint, d.port, d.protocol)}`;
      const ing = last(hops, 'ingress');
      return ing ? 'delivered to the ingress controller, which answers itself' : 'delivered';
    }
    case 'denied': {
      const dnsDenied = hops.find((h) => h.kind === 'dns' && h.unanswered);
      if (dnsDenied?.kind === 'dns' && dnsDenied.unanswered)
        return `denied: the DNS lookup of ${dnsDenied.question.name} times out (its query to ${dnsDenied.unanswered.server} is dropped by a policy)`;
      const at = hops
        .filter(
          (h): h is PolicyHop => (h.kind === 'egress-policy' || h.kind === 'ingress-policy') && !h.allowed,
        )
        .map(
          (h) => `${h.kind === 'egress-policy' ? 'at egress from' : 'at ingress to'} ${endName(h.endpoint)}`,
        );
      return `denied ${at.join(' and ')}`;
    }
    case 'no-endpoints': {
      const dnsFailed = hops.find((h) => h.kind === 'dns' && h.unanswered);
      if (dnsFailed?.kind === 'dns' && dnsFailed.unanswered)
        return `no-endpoints: the DNS lookup of ${dnsFailed.question.name} gets no answer (no CoreDNS endpoint behind ${dnsFailed.unanswered.server})`;
      const s = last(hops, 'service', 'upstream');
      return s ? `no-endpoints: Service ${s.service} has no endpoint to send it to` : 'no-endpoints';
    }
    case 'no-route': {
      const last = hops[hops.length - 1];
      if (last.kind === 'service-miss' || last.kind === 'service')
        return `no-route: ${last.outcome === 'reject' ? 'rejected (connection refused)' : 'dropped (the client times out)'}`;
      if (last.kind === 'ingress') {
        if (last.listener)
          return last.listener.tls
            ? 'no-route: plain HTTP to the TLS port, the controller answers 400 without routing'
            : 'no-route: the TLS handshake fails on the plain HTTP port, no request is sent';
        return 'no-route: no Ingress rule routes the request';
      }
      if (last.kind === 'unrouted')
        return last.why === 'outside'
          ? `no-route: ${last.ip} is not an address of this cluster`
          : `no-route: ${last.ip} is not routed outside the cluster (the client times out)`;
      if (last.kind === 'dns' && last.unanswered)
        return `no-route: the DNS lookup of ${last.question.name} gets no answer`;
      return 'no-route';
    }
    case 'nxdomain':
    case 'refused': {
      const dns = hops.find((h) => h.kind === 'dns');
      return dns ? `${trace.verdict}: ${dns.question.name} does not resolve` : trace.verdict;
    }
  }
}

/** The human form: one block per hop, then the verdict. */
export function printTraceText(trace: Trace): string {
  const blocks = trace.hops.map(hopBlock);
  return `${[...blocks, 'verdict'.padEnd(LABEL) + verdictText(trace) + httpText(trace)].join('\n\n')}\n`;
}

export function printTraceJSON(trace: Trace): string {
  return `${JSON.stringify(trace, null, 4)}\n`;
}

/** The JSON shape as YAML, in kubectl's block style (sequences not indented under their key). */
export function printTraceYAML(trace: Trace): string {
  return stringify(trace, { version: '1.1', indentSeq: false, lineWidth: 0 });
}
