// What the rules share: the computed cluster, and the facts several rules ask for, answered once
// from the store's indexes (the pods a Service selects, the compiled policy model) so a run over
// the scale envelope stays linear in the number of objects.

import type { ClusterConfig } from '../api/cluster-config.js';
import { fromMap } from '../api/labels.js';
import {
  type Container,
  type ContainerPort,
  isKind,
  type KubeObject,
  objectKey,
  type Pod,
  type PodSpec,
  type Service,
} from '../api/types.js';
import { controllerOf } from '../controllers/owner.js';
import { isPodTerminal } from '../controllers/workloads/pod-state.js';
import { computeIngressTable, type IngressTable } from '../ingress/index.js';
import { compilePolicyModel, type PolicyModel } from '../netpol/model.js';
import type { Store } from '../store/store.js';

export interface LintOptions {
  /** `--ingress-class`: the IngressClass the analysis plays the controller of. */
  readonly ingressClass?: string;
}

const NO_PODS: readonly Pod[] = [];

export class LintContext {
  private readonly selected = new WeakMap<Service, readonly Pod[]>();
  private model: PolicyModel | undefined;
  private ingress: IngressTable | undefined;

  constructor(
    readonly store: Store,
    readonly config: ClusterConfig,
    readonly options: LintOptions = {},
  ) {}

  /**
   * The pods a Service's selector matches in its namespace, terminal ones left out (they are
   * never endpoints); empty for a Service without a selector, whose endpoints are written by hand.
   */
  podsOf(service: Service): readonly Pod[] {
    let pods = this.selected.get(service);
    if (pods === undefined) {
      const selector = service.spec.selector;
      pods =
        selector && Object.keys(selector).length > 0
          ? this.store
              .select('Pod', service.metadata.namespace as string, fromMap(selector))
              .filter((p) => !isPodTerminal(p))
          : NO_PODS;
      this.selected.set(service, pods);
    }
    return pods;
  }

  /** The NetworkPolicy engine's model of the snapshot, compiled on first use. */
  policyModel(): PolicyModel {
    this.model ??= compilePolicyModel(this.store);
    return this.model;
  }

  /** The Ingress routing table of the served class (`--ingress-class`), computed on first use. */
  ingressTable(): IngressTable {
    this.ingress ??= computeIngressTable(this.store, { ingressClass: this.options.ingressClass });
    return this.ingress;
  }

  /** The object's controller (ownerReferences with `controller: true`), when the store holds it. */
  controllerOf(obj: KubeObject): KubeObject | undefined {
    const ref = controllerOf(obj);
    if (!ref || !isKind(ref.kind)) return undefined;
    return this.store.get(ref.kind, obj.metadata.namespace, ref.name);
  }
}

/** A container port with where it is written, relative to the pod spec. */
export interface PortAt {
  readonly port: ContainerPort;
  readonly protocol: string;
  /** `containers[1].ports[0]`, `initContainers[0].ports[2]`. */
  readonly path: readonly (string | number)[];
}

/** Init containers with `restartPolicy: Always` run beside the app containers, serving ports. */
export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * The ports of the containers that run together, in the pod's network namespace: the app
 * containers, then sidecars. Plain init containers run before them, one at a time, and are left
 * out.
 */
export function servingPorts(spec: PodSpec): PortAt[] {
  const out: PortAt[] = [];
  const add = (field: 'containers' | 'initContainers', list: readonly Container[] | undefined) => {
    list?.forEach((c, i) => {
      if (field === 'initContainers' && !isSidecar(c)) return;
      c.ports?.forEach((port, j) => {
        out.push({ port, protocol: port.protocol ?? 'TCP', path: [field, i, 'ports', j] });
      });
    });
  };
  add('containers', spec.containers);
  add('initContainers', spec.initContainers);
  return out;
}

/** `a, b, c and 4 more`: a few names for a message, sorted. */
export function someNames(names: readonly string[], max = 3): string {
  const sorted = [...names].sort();
  const shown = sorted.slice(0, max).join(', ');
  return sorted.length > max ? `${shown} and ${sorted.length - max} more` : shown;
}

/** `1 pod`, `3 pods`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `ns/name` of pods, for messages. */
export function podKeys(pods: readonly Pod[]): string[] {
  return pods.map((p) => objectKey(p));
}

/** A field path as the API server renders it: `fieldPath('spec', 'ports', 1, 'targetPort')` is `spec.ports[1].targetPort`. */
export function fieldPath(...segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}
