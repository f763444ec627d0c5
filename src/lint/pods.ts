// Pod findings: ports the containers of one pod both claim (they share one network namespace),
// and host ports two pods claim on one node (DESIGN.md model rules 5 and 6). What the scheduler
// and the kubelet decided about host ports is already in the pods' status; these rules explain it.

import type { KubeObject, Pod, PodSpec } from '../api/types.js';
import { objectKey } from '../api/types.js';
import { REASON_NODE_PORTS } from '../controllers/scheduling/scheduler-predicates.js';
import { byNamespacedName, isPodTerminal } from '../controllers/workloads/pod-state.js';
import { fieldPath, type LintContext, type PortAt, servingPorts } from './context.js';
import type { Rule } from './types.js';

/** A pod spec as the user wrote it: a bare pod's, or a workload's template. */
interface PodSource {
  readonly subject: KubeObject;
  readonly spec: PodSpec;
  /** Path from the object to its pod spec. */
  readonly prefix: readonly string[];
}

const TEMPLATE = ['spec', 'template', 'spec'] as const;

/**
 * Each pod spec once: workloads' templates, and pods no workload in the snapshot controls.
 * Pods and ReplicaSets created from a template are left to the template, so one mistake is one
 * finding, not one per replica.
 */
function* podSources(ctx: LintContext): Generator<PodSource> {
  const { store } = ctx;
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'] as const)
    for (const w of store.list(kind)) yield { subject: w, spec: w.spec.template.spec, prefix: TEMPLATE };
  for (const rs of store.list('ReplicaSet'))
    if (!ctx.controllerOf(rs)) yield { subject: rs, spec: rs.spec.template.spec, prefix: TEMPLATE };
  for (const pod of store.list('Pod'))
    if (!ctx.controllerOf(pod)) yield { subject: pod, spec: pod.spec, prefix: ['spec'] };
}

/**
 * How two declarations of one containerPort/protocol clash, in the API server's words
 * (pkg/api/pod/warnings.go); undefined when they are two host ports for one listener.
 */
function clash(a: PortAt, b: PortAt): string | undefined {
  const hostIP = (p: PortAt) => p.port.hostIP ?? '';
  const hostPort = (p: PortAt) => p.port.hostPort ?? 0;
  if (hostIP(a) === hostIP(b) && hostPort(a) === hostPort(b)) return 'duplicate';
  if (hostPort(a) === 0 || hostPort(b) === 0) return 'overlapping';
  if (hostPort(a) === hostPort(b) && (hostIP(a) === '') !== (hostIP(b) === ''))
    return 'dangerously ambiguous';
  return undefined;
}

const duplicateContainerPort: Rule = {
  code: 'pod-duplicate-container-port',
  severity: 'error',
  title: 'the same containerPort/protocol declared twice in one pod',
  check(ctx, report) {
    for (const source of podSources(ctx)) {
      const seen = new Map<string, PortAt[]>();
      for (const at of servingPorts(source.spec)) {
        const key = `${at.port.containerPort}/${at.protocol}`;
        const earlier = seen.get(key) ?? [];
        for (const other of earlier) {
          const how = clash(other, at);
          if (!how) continue;
          const sameContainer = other.path[0] === at.path[0] && other.path[1] === at.path[1];
          const why = sameContainer
            ? 'the container lists it twice'
            : 'the containers of a pod share one network namespace, so only one of them can listen on it and the other fails to bind';
          report(
            source.subject,
            fieldPath(...source.prefix, ...at.path, 'containerPort'),
            `${how} port definition: containerPort ${key} is also declared at ${fieldPath(...source.prefix, ...other.path)}; ${why}; give each listener its own port`,
          );
          break;
        }
        earlier.push(at);
        seen.set(key, earlier);
      }
    }
  },
};

/** One host port a pod holds, where its spec declares it. */
interface HostPortAt {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
  readonly path: readonly (string | number)[];
}

const ANY = '0.0.0.0';

const NO_HOST_PORTS: readonly HostPortAt[] = [];

/**
 * The host ports of a pod's containers (hostIP 0.0.0.0 when unset), as the NodePorts filter
 * reads them; one shared empty list for the many pods without.
 */
function hostPorts(pod: Pod): readonly HostPortAt[] {
  let out: HostPortAt[] | undefined;
  pod.spec.containers.forEach((c, i) => {
    c.ports?.forEach((p, j) => {
      if (!p.hostPort || p.hostPort <= 0) return;
      out ??= [];
      out.push({
        ip: p.hostIP || ANY,
        protocol: p.protocol ?? 'TCP',
        port: p.hostPort,
        path: ['containers', i, 'ports', j],
      });
    });
  });
  return out ?? NO_HOST_PORTS;
}

/** The triple in words: `80/TCP on 0.0.0.0`. */
function hostPortText(h: HostPortAt): string {
  return `${h.port}/${h.protocol} on ${h.ip}`;
}

/** Host ports held on one node, by `protocol/port`; 0.0.0.0 conflicts with every address. */
class NodeHolders {
  private readonly byPort = new Map<string, { at: HostPortAt; pod: Pod }[]>();

  /** The pod already holding a port `h` conflicts with, if any. */
  holder(h: HostPortAt): Pod | undefined {
    for (const held of this.byPort.get(`${h.protocol}/${h.port}`) ?? [])
      if (h.ip === ANY || held.at.ip === ANY || held.at.ip === h.ip) return held.pod;
    return undefined;
  }

  add(pod: Pod, ports: readonly HostPortAt[]): void {
    for (const at of ports) {
      const key = `${at.protocol}/${at.port}`;
      const list = this.byPort.get(key);
      if (list) list.push({ at, pod });
      else this.byPort.set(key, [{ at, pod }]);
    }
  }
}

const hostPortConflict: Rule = {
  code: 'host-port-conflict',
  severity: 'error',
  title: 'two pods on one node claiming the same hostPort/protocol/hostIP',
  check(ctx, report) {
    // The pods holding host ports, per node, in the order the kubelet admitted them.
    const byNode = new Map<string, Pod[]>();
    for (const pod of ctx.store.list('Pod')) {
      const node = pod.spec.nodeName;
      if (!node || hostPorts(pod).length === 0) continue;
      const list = byNode.get(node);
      if (list) list.push(pod);
      else byNode.set(node, [pod]);
    }
    for (const [node, pods] of [...byNode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      pods.sort(byNamespacedName);
      const holders = new NodeHolders();
      const rejected: Pod[] = [];
      for (const pod of pods) {
        if (isPodTerminal(pod)) {
          if (pod.status?.reason === 'NodePorts') rejected.push(pod);
          continue;
        }
        const ports = hostPorts(pod);
        // Two running pods holding one port: a snapshot the kubelet could not have produced.
        for (const h of ports) {
          const other = holders.holder(h);
          if (!other) continue;
          report(
            pod,
            fieldPath('spec', ...h.path, 'hostPort'),
            `hostPort ${hostPortText(h)} is also held by pod ${objectKey(other)} on node ${node}; only one pod can bind it, so one of them cannot be running as reported`,
          );
          break;
        }
        holders.add(pod, ports);
      }
      for (const pod of rejected) {
        const ports = hostPorts(pod);
        const taken = ports.find((h) => holders.holder(h) !== undefined) ?? ports[0];
        const other = holders.holder(taken);
        // A snapshot may hold the rejection without the pod that held the port.
        const held = other
          ? `is held by pod ${objectKey(other)}`
          : 'was held by a pod the snapshot does not include';
        report(
          pod,
          fieldPath('spec', ...taken.path, 'hostPort'),
          `the kubelet on node ${node} rejected the pod (NodePorts): hostPort ${hostPortText(taken)} ${held}; a pod bound to its node by spec.nodeName skips the scheduler that would have avoided this; choose another hostPort, or let the scheduler place the pod`,
        );
      }
    }
  },
};

/** Pods the scheduler left Pending because the nodes that fit them hold their host ports. */
const hostPortUnschedulable: Rule = {
  code: 'host-port-unschedulable',
  severity: 'warning',
  title: 'a pod no node can take because its hostPort is taken on every node that fits it',
  check(ctx, report) {
    for (const pod of ctx.store.list('Pod')) {
      if (pod.spec.nodeName) continue;
      const ports = hostPorts(pod);
      if (ports.length === 0) continue;
      const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (scheduled?.status !== 'False' || !scheduled.message?.includes(REASON_NODE_PORTS)) continue;
      report(
        pod,
        fieldPath('spec', ...ports[0].path, 'hostPort'),
        `the pod stays Pending: ${scheduled.message.replace(/\.$/, '')}; a hostPort/protocol/hostIP can be held by one pod per node, so a workload with host ports runs at most one replica per node; lower the replicas, add nodes, or drop the hostPort and reach the pods through a Service`,
      );
    }
  },
};

export const POD_RULES: readonly Rule[] = [duplicateContainerPort, hostPortConflict, hostPortUnschedulable];
