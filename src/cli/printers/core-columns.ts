// Columns of the core (v1) kinds: pods, services, endpoints, nodes, namespaces, secrets.

import type { Container, Endpoints, Namespace, Node, Pod, Secret, Service } from '../../api/types.js';
import { joinHostPort } from '../../ip/index.js';
import type { Columns, ColumnsByKind } from './columns.js';
import {
  count,
  formatLabels,
  humanDuration,
  loadBalancerAddresses,
  type PrintContext,
  since,
  text,
} from './format.js';

// Read-only views of status fields the wire types leave open.
interface ContainerState {
  waiting?: { reason?: string };
  running?: Record<string, unknown>;
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}
interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

const isRestartableInit = (c: Container | undefined): boolean => c?.restartPolicy === 'Always';

/** Later of two restart times (ms; 0 is "never"), from a container's last termination. */
function laterRestart(current: number, status: ContainerStatus): number {
  const finished = Date.parse(status.lastState?.terminated?.finishedAt ?? '');
  return Number.isNaN(finished) || finished <= current ? current : finished;
}

/**
 * READY, STATUS and RESTARTS of a pod, as printers.go `printPod` derives them: the phase, or the
 * pod's reason, overridden by the first failing init container, then by the containers' own
 * waiting/terminated reasons; READY counts containers that are ready and running (restartable
 * init containers, i.e. sidecars, included).
 */
export function podSummary(pod: Pod, ctx: PrintContext): { ready: string; status: string; restarts: string } {
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const initSpecs = new Map((pod.spec.initContainers ?? []).map((c) => [c.name, c]));
  const initStatuses = (status.initContainerStatuses ?? []) as ContainerStatus[];
  const statuses = (status.containerStatuses ?? []) as ContainerStatus[];
  const phase = text(status.phase);

  let total = pod.spec.containers.length;
  for (const c of initSpecs.values()) if (isRestartableInit(c)) total++;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason = status.reason || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated'))
    reason = 'SchedulingGated';

  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const sidecar = isRestartableInit(initSpecs.get(c.name));
    restarts += count(c.restartCount);
    lastRestart = laterRestart(lastRestart, c);
    if (sidecar) {
      sidecarRestarts += count(c.restartCount);
      lastSidecarRestart = laterRestart(lastSidecarRestart, c);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && count(terminated.exitCode) === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${count(terminated.exitCode)}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.size}`;
    }
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    // Sidecar restarts count; ordinary init containers that already finished do not.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += count(c.restartCount);
      lastRestart = laterRestart(lastRestart, c);
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated)
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${count(terminated.exitCode)}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  const restartText =
    restarts !== 0 && lastRestart !== 0
      ? `${restarts} (${humanDuration(ctx.now - lastRestart)} ago)`
      : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function readinessGates(pod: Pod): string {
  const gates = (pod.spec.readinessGates ?? []) as { conditionType: string }[];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const met = gates.filter(
    (g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True',
  ).length;
  return `${met}/${gates.length}`;
}

const pods: Columns<Pod> = {
  headers: ['READY', 'STATUS', 'RESTARTS', 'AGE'],
  wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  cells(p, ctx) {
    const { ready, status, restarts } = podSummary(p, ctx);
    return [
      ready,
      status,
      restarts,
      since(p.metadata.creationTimestamp, ctx),
      // The first of status.podIPs (the primary family), as kubectl shows it; not status.podIP.
      p.status?.podIPs?.[0]?.ip || '<none>',
      p.spec.nodeName || '<none>',
      text(p.status?.nominatedNodeName) || '<none>',
      readinessGates(p),
    ];
  },
};

/** printers.go `getServiceExternalIP`. */
export function serviceExternalIP(svc: Service, wide = false): string {
  const externalIPs = svc.spec.externalIPs ?? [];
  switch (svc.spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress, wide);
      const all = [...(lb ? lb.split(',') : []), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return text(svc.spec.externalName);
    default:
      return '<unknown>';
  }
}

/** printers.go `makePortString`: `80/TCP`, `80:30080/TCP` with a node port. */
export function servicePorts(svc: Service): string {
  const ports = (svc.spec.ports ?? []).map((p) =>
    p.nodePort ? `${p.port}:${p.nodePort}/${text(p.protocol)}` : `${p.port}/${text(p.protocol)}`,
  );
  return ports.length > 0 ? ports.join(',') : '<none>';
}

const services: Columns<Service> = {
  headers: ['TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wide: ['SELECTOR'],
  cells: (s, ctx) => [
    text(s.spec.type),
    s.spec.clusterIPs?.[0] || '<none>',
    serviceExternalIP(s, ctx.wide),
    servicePorts(s),
    since(s.metadata.creationTimestamp, ctx),
    formatLabels(s.spec.selector),
  ],
};

/** printers.go `formatEndpoints`: the first three `ip:port` pairs (every port of each subset). */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let total = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    // A headless Service without ports lists bare addresses.
    const ports = ss.ports && ss.ports.length > 0 ? ss.ports.map((p) => p.port) : [undefined];
    for (const port of ports) {
      total += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(port === undefined ? a.ip : joinHostPort(a.ip, port));
      }
    }
  }
  return total > max ? `${list.join(',')} + ${total - max} more...` : list.join(',');
}

const endpoints: Columns<Endpoints> = {
  headers: ['ENDPOINTS', 'AGE'],
  wide: [],
  cells: (e, ctx) => [formatEndpoints(e), since(e.metadata.creationTimestamp, ctx)],
};

interface NodeInfo {
  kubeletVersion?: string;
  osImage?: string;
  kernelVersion?: string;
  containerRuntimeVersion?: string;
}

/** printers.go `printNode`: the Ready condition (`Ready`, `NotReady`, `Unknown`), cordon added. */
export function nodeStatus(node: Node): string {
  const readyCondition = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = [readyCondition ? (readyCondition.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** printers.go `findNodeRoles`: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values, sorted. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

const nodeAddress = (n: Node, type: 'InternalIP' | 'ExternalIP'): string =>
  n.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

const nodes: Columns<Node> = {
  headers: ['STATUS', 'ROLES', 'AGE', 'VERSION'],
  wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  cells(n, ctx) {
    const info = (n.status?.nodeInfo ?? {}) as NodeInfo;
    return [
      nodeStatus(n),
      nodeRoles(n),
      since(n.metadata.creationTimestamp, ctx),
      text(info.kubeletVersion),
      nodeAddress(n, 'InternalIP'),
      nodeAddress(n, 'ExternalIP'),
      text(info.osImage) || '<unknown>',
      text(info.kernelVersion) || '<unknown>',
      text(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

const namespaces: Columns<Namespace> = {
  headers: ['STATUS', 'AGE'],
  wide: [],
  cells: (ns, ctx) => [text(ns.status?.phase), since(ns.metadata.creationTimestamp, ctx)],
};

/**
 * The number of keys. The API server folds `stringData` into `data` on write, so a Secret read
 * from a manifest counts the keys of both, as the stored object would.
 */
export function secretDataCount(secret: Secret): number {
  return new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]).size;
}

const secrets: Columns<Secret> = {
  headers: ['TYPE', 'DATA', 'AGE'],
  wide: [],
  cells: (s, ctx) => [text(s.type), String(secretDataCount(s)), since(s.metadata.creationTimestamp, ctx)],
};

export const coreColumns: ColumnsByKind<'Pod' | 'Service' | 'Endpoints' | 'Node' | 'Namespace' | 'Secret'> = {
  Pod: pods,
  Service: services,
  Endpoints: endpoints,
  Node: nodes,
  Namespace: namespaces,
  Secret: secrets,
};
