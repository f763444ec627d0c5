// Policy and delivery hops in words: why a direction allows or denies, naming the policies and the field
// paths of the rules that decided (`NetworkPolicy/y/allow spec.ingress[0].from[1] ports[0]`), so
// a reader can find them in the YAML. Shared by `podnet trace` and `podnet test`.

import type { DeliveryHop, EndRef, Masquerade, PolicyHop, RuleRef } from './types.js';

/** A connection end in a sentence: `x/a`, `node podnet-worker`, `203.0.113.10`. */
export function endName(end: EndRef): string {
  switch (end.kind) {
    case 'pod':
      return end.pod;
    case 'node':
      return end.pod ?? `node ${end.node}`;
    case 'external':
      return end.ip;
  }
}

/** A connection end with its address and node: for the source and delivery hops. */
export function endDetail(end: EndRef): string {
  switch (end.kind) {
    case 'pod':
      return `pod ${end.pod} ${end.ip}${end.node ? ` on node ${end.node}` : ''}`;
    case 'node':
      return end.pod
        ? `pod ${end.pod} (host network) ${end.ip} of node ${end.node}`
        : `node ${end.node} ${end.ip}`;
    case 'external':
      return `${end.ip} outside the cluster`;
  }
}

/** The last segment of a field path: `ports[0]` of `spec.ingress[0].ports[0]`. */
function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/**
 * One matched rule: the policy, the peer's field path (the rule's, when it has no peers) and the
 * port entry; a rule without peers or ports says it matches them all.
 */
function ruleText(r: RuleRef, direction: PolicyHop['direction']): string {
  const peers = direction === 'Ingress' ? 'from' : 'to';
  let text = r.policy;
  if (r.priority !== undefined) text += ` (priority ${r.priority})`;
  text += ` ${r.peerField ?? r.field}`;
  if (r.portField) text += ` ${lastSegment(r.portField)}`;
  if (r.ruleName !== undefined) text += ` (rule ${JSON.stringify(r.ruleName)})`;
  const all: string[] = [];
  if (r.peerField === undefined)
    all.push(`no ${peers}: every ${direction === 'Ingress' ? 'source' : 'destination'}`);
  if (r.portField === undefined) all.push('no ports: every port');
  return all.length > 0 ? `${text} [${all.join('; ')}]` : text;
}

function direction(hop: PolicyHop): string {
  return hop.direction === 'Ingress' ? 'ingress' : 'egress';
}

/** `x/b is isolated for ingress by P`, or with several policies, one per line after `by:`. */
function isolation(hop: PolicyHop): string[] {
  const head = `${endName(hop.endpoint)} is isolated for ${direction(hop)} by`;
  if (hop.isolatedBy.length === 1) return [`${head} ${hop.isolatedBy[0]}`];
  return [`${head}:`, ...hop.isolatedBy.map((p) => `  ${p}`)];
}

/** The other end as a rule would match it: by name, and by address (ipBlock rules). */
function peerName(peer: EndRef): string {
  return peer.kind === 'external' ? peer.ip : `${endName(peer)} (${peer.ip})`;
}

/** Why a direction is not enforced: the enforcing end is not a pod on the pod network. */
function notEnforced(hop: PolicyHop): string {
  const end = hop.endpoint;
  const dir = direction(hop);
  if (end.kind === 'external') return `${end.ip} is outside the cluster: policies do not apply to its ${dir}`;
  if (end.kind === 'node') {
    return end.pod
      ? `${end.pod} uses the host network of node ${end.node}: policies do not apply to its ${dir}`
      : `node ${end.node} is not a pod: policies do not apply to its ${dir}`;
  }
  return `policies do not apply to the ${dir} of ${endName(end)}`;
}

/** Who rewrote the source, and why, in the words of the fields a user set. */
function rewrittenBy(m: Masquerade): string {
  switch (m.why) {
    case 'masquerade-external-cluster':
      return 'by kube-proxy because externalTrafficPolicy is Cluster';
    case 'masquerade-node-local':
      return "by kube-proxy (the node's own traffic to an external address of a Local Service)";
    case 'off-cluster-source':
      return 'by kube-proxy (traffic from outside the pod network to a cluster IP)';
    case 'hairpin':
      return m.by === 'portmap'
        ? 'by the CNI portmap plugin (the pod reached itself through its own hostPort)'
        : 'by kube-proxy (the client reached its own Service and landed on itself)';
    case 'load-balancer-proxy':
      return 'by the load balancer (ipMode Proxy connects from its own address)';
  }
}

/** The SNAT a policy saw, and whether it decided the verdict. */
function masqueradeLines(hop: PolicyHop, peer: EndRef, m: Masquerade): string[] {
  const seen = peer.kind === 'node' ? `node ${peer.node} (${peer.ip})` : peer.ip;
  const lines = [
    `the source was masqueraded to ${seen} ${rewrittenBy(m)}; NetworkPolicy sees ${peer.ip}, not ${m.client.ip}`,
  ];
  if (m.decides)
    lines.push(
      `this decides the verdict: from ${m.client.ip} itself the connection would be ${hop.allowed ? 'denied' : 'allowed'}`,
    );
  return lines;
}

/**
 * A policy hop in words: the first line says what decided; further lines list the deciding rules
 * and any Admin tier rules that passed the decision on, and the source NAT the policy saw.
 */
export function explainPolicy(hop: PolicyHop, other?: EndRef): string[] {
  const peer = hop.peer ?? other ?? hop.endpoint;
  const port = `${hop.port}/${hop.protocol}`;
  const dir = direction(hop);
  const lines: string[] = [];
  const rules = hop.decidedBy.map((r) => `  ${ruleText(r, hop.direction)}`);
  switch (hop.reason) {
    case 'not-enforced':
      lines.push(notEnforced(hop));
      break;
    case 'self':
      lines.push(
        `${endName(hop.endpoint)} connects to its own address: a pod cannot block traffic to itself`,
      );
      break;
    case 'own-node':
      lines.push(
        `traffic from node ${peer.kind === 'node' ? peer.node : ''} to its own pods is always allowed, whatever policies say`,
      );
      break;
    case 'not-isolated':
      lines.push(`${endName(hop.endpoint)} is not isolated for ${dir} (no NetworkPolicy selects it)`);
      break;
    case 'policy-allow':
      lines.push(...isolation(hop), 'allowed by:', ...rules);
      break;
    case 'policy-deny':
      lines.push(...isolation(hop), `no rule allows ${peerName(peer)} on ${port}`);
      break;
    case 'admin-accept':
    case 'admin-deny':
      lines.push(`the Admin tier ${hop.allowed ? 'accepts' : 'denies'} it:`, ...rules);
      break;
    case 'baseline-accept':
    case 'baseline-deny':
      lines.push(
        `no NetworkPolicy isolates ${endName(hop.endpoint)} for ${dir}; the Baseline tier ${hop.allowed ? 'accepts' : 'denies'} it:`,
        ...rules,
      );
      break;
  }
  if (hop.passedBy.length > 0)
    lines.push('passed on by the Admin tier:', ...hop.passedBy.map((r) => `  ${ruleText(r, hop.direction)}`));
  if (hop.masquerade) lines.push(...masqueradeLines(hop, peer, hop.masquerade));
  return lines;
}

/** Where the connection arrives and what declares the port there. */
export function explainDelivery(hop: DeliveryHop): string[] {
  const port = `${hop.port}/${hop.protocol}`;
  const end = hop.endpoint;
  const at = `${endDetail(end)}, port ${port}`;
  if (hop.declared === undefined)
    return [at, 'the connection leaves the cluster; what answers there is outside the model'];
  if (!hop.declared) {
    return [
      at,
      end.kind === 'node'
        ? `no hostNetwork pod on node ${end.node} declares ${port}; the node may still serve it (processes outside pods are not modelled)`
        : `no container declares ${port}: the network delivers the connection, but nothing listens there as far as the manifests say`,
    ];
  }
  const name = hop.portName ? ` (port ${hop.portName})` : '';
  const pod = end.kind === 'node' ? `hostNetwork pod ${hop.pod}, ` : '';
  return [at, `${pod}container ${hop.container} declares it${name}`];
}
