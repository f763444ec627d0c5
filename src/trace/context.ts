// Everything a trace reads, computed once per snapshot and shared by every trace of it: the
// policy model, kube-proxy's frontend table, the DNS zone, the Ingress routing table, and the
// two node-scoped indexes delivery needs (hostPorts, hostNetwork pods). Each part is built on
// first use, so a trace between two pods never computes the zone or the Ingress table.

import type { ClusterConfig } from '../api/cluster-config.js';
import type { Pod, Protocol } from '../api/types.js';
import type { ClusterZone } from '../dns/zone.js';
import { computeZone } from '../dns/zone-compute.js';
import { computeIngressTable } from '../ingress/index.js';
import type { IngressTable } from '../ingress/types.js';
import { holdsIP } from '../netpol/endpoints.js';
import { compilePolicyModel, type PolicyModel } from '../netpol/model.js';
import { computeServiceTable } from '../services/index.js';
import type { ServiceTable } from '../services/types.js';
import type { Store } from '../store/store.js';

/** A container port that a node forwards to its pod (hostPort). */
export interface HostPortBinding {
  readonly pod: Pod;
  readonly container: string;
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: Protocol;
  /** The node address it is bound to; absent (or 0.0.0.0, ::) for every address. */
  readonly hostIP?: string;
}

export interface TraceOptions {
  /** `--ingress-class NAME`: play that class's controller instead of the default class's. */
  readonly ingressClass?: string;
  /** `--via-node NAME`: the node an outside client's packet arrives at (NodePort, load balancer, external IP). */
  readonly viaNode?: string;
}

export class TraceContext {
  private serviceTable: ServiceTable | undefined;
  private clusterZone: ClusterZone | undefined;
  private ingressTable: IngressTable | undefined;
  private hostPortIndex: Map<string, HostPortBinding[]> | undefined;
  private hostNetworkIndex: Map<string, Pod[]> | undefined;
  private readonly memos = new Map<string, unknown>();

  readonly model: PolicyModel;

  constructor(
    readonly store: Store,
    readonly config: ClusterConfig,
    readonly options: TraceOptions = {},
    model?: PolicyModel,
  ) {
    this.model = model ?? compilePolicyModel(store);
  }

  get services(): ServiceTable {
    this.serviceTable ??= computeServiceTable(this.store, this.config);
    return this.serviceTable;
  }

  get zone(): ClusterZone {
    this.clusterZone ??= computeZone(this.store, this.config);
    return this.clusterZone;
  }

  get ingress(): IngressTable {
    this.ingressTable ??= computeIngressTable(this.store, { ingressClass: this.options.ingressClass });
    return this.ingressTable;
  }

  /** A value derived from the snapshot, computed once under `key` (the ingress controller per family). */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** The hostPorts bound on `node` for port/protocol (the CNI portmap plugin's rules there). */
  hostPorts(node: string, port: number, protocol: Protocol): readonly HostPortBinding[] {
    if (!this.hostPortIndex) {
      const index = new Map<string, HostPortBinding[]>();
      for (const pod of this.store.list('Pod')) {
        const at = pod.spec.nodeName;
        // hostNetwork pods listen on the node itself: their hostPort equals the containerPort
        // and nothing is forwarded.
        if (!at || pod.spec.hostNetwork || !holdsIP(pod)) continue;
        for (const c of pod.spec.containers) {
          for (const p of c.ports ?? []) {
            if (!p.hostPort) continue;
            const protocol = p.protocol ?? 'TCP';
            const key = `${at}|${protocol}|${p.hostPort}`;
            const binding: HostPortBinding = {
              pod,
              container: c.name,
              containerPort: p.containerPort,
              hostPort: p.hostPort,
              protocol,
              ...(p.hostIP ? { hostIP: p.hostIP } : {}),
            };
            const list = index.get(key);
            if (list) list.push(binding);
            else index.set(key, [binding]);
          }
        }
      }
      this.hostPortIndex = index;
    }
    return this.hostPortIndex.get(`${node}|${protocol}|${port}`) ?? [];
  }

  /** The hostNetwork pods bound to `node` that hold its address (not finished). */
  hostNetworkPods(node: string): readonly Pod[] {
    if (!this.hostNetworkIndex) {
      const index = new Map<string, Pod[]>();
      for (const pod of this.store.list('Pod')) {
        const at = pod.spec.nodeName;
        if (!at || !pod.spec.hostNetwork || !holdsIP(pod)) continue;
        const list = index.get(at);
        if (list) list.push(pod);
        else index.set(at, [pod]);
      }
      this.hostNetworkIndex = index;
    }
    return this.hostNetworkIndex.get(node) ?? [];
  }
}
