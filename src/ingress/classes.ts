// Which Ingresses podnet serves (DESIGN.md "Ingresses served"): it plays the controller named by
// the default IngressClass, or by the class given with --ingress-class, and serves every class
// naming that controller, as ingress-nginx serves every IngressClass whose spec.controller is its
// own. Where no IngressClass exists at all, it serves the Ingresses without a class.

import type { Ingress, IngressClass } from '../api/types.js';
import { objectKey } from '../api/types.js';
import type { Store } from '../store/store.js';
import { routingAnnotations } from './annotations.js';
import type { IgnoredIngress, IngressTableOptions } from './types.js';

export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface ServedIngresses {
  /** The class names served, sorted. */
  readonly classes: string[];
  /** Served Ingresses, oldest first (ingress-nginx sortIngressSlice). */
  readonly served: Ingress[];
  readonly ignored: IgnoredIngress[];
}

/** Milliseconds since the epoch; objects without a valid timestamp count as created last. */
function created(obj: { metadata: { creationTimestamp?: string } }): number {
  const t = obj.metadata.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : Number.NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/**
 * The default IngressClass the DefaultIngressClass admission plugin assigns: the newest of those
 * annotated `"true"`, by name on equal timestamps.
 */
export function defaultIngressClass(classes: readonly IngressClass[]): IngressClass | undefined {
  let best: IngressClass | undefined;
  for (const c of classes) {
    if (c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] !== 'true') continue;
    if (!best) best = c;
    else {
      const tc = created(c);
      const tb = created(best);
      if (tc > tb || (tc === tb && c.metadata.name < best.metadata.name)) best = c;
    }
  }
  return best;
}

/**
 * ingress-nginx's order: oldest creationTimestamp first; on equal timestamps (one `kubectl apply`
 * creates many within a second) by `ns/name`, descending.
 */
export function compareIngresses(a: Ingress, b: Ingress): number {
  const ta = created(a);
  const tb = created(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = objectKey(a);
  const kb = objectKey(b);
  return ka === kb ? 0 : ka > kb ? -1 : 1;
}

interface Played {
  readonly classes: ReadonlySet<string>;
  /** Ingresses without a class are served. */
  readonly classless: boolean;
  /** Says which controller podnet plays, for reasons. */
  readonly role: string;
  readonly byName: ReadonlyMap<string, IngressClass>;
  readonly defaultClass?: IngressClass;
}

function sameController(all: readonly IngressClass[], of: IngressClass): Set<string> {
  return new Set(all.filter((c) => c.spec?.controller === of.spec?.controller).map((c) => c.metadata.name));
}

function played(all: readonly IngressClass[], options: IngressTableOptions): Played {
  const byName = new Map(all.map((c) => [c.metadata.name, c]));
  const defaultClass = defaultIngressClass(all);
  const noClasses = all.length === 0;
  const flag = options.ingressClass;
  if (flag !== undefined) {
    const named = byName.get(flag);
    // A class given on the command line is served even when its IngressClass object is not among
    // the inputs: it belongs to the controller's installation, not to the application's manifests.
    const classes = named ? sameController(all, named) : new Set([flag]);
    const classless = noClasses || (defaultClass !== undefined && classes.has(defaultClass.metadata.name));
    const role = named
      ? `the controller ${named.spec?.controller} (--ingress-class ${flag})`
      : `class ${flag}`;
    return { classes, classless, role, byName, defaultClass };
  }
  if (defaultClass) {
    const role = `the controller ${defaultClass.spec?.controller} of the default IngressClass ${defaultClass.metadata.name}`;
    return { classes: sameController(all, defaultClass), classless: true, role, byName, defaultClass };
  }
  return { classes: new Set(), classless: noClasses, role: 'no controller', byName };
}

function classOf(ing: Ingress): { name?: string; legacy: boolean } {
  if (ing.spec?.ingressClassName !== undefined) return { name: ing.spec.ingressClassName, legacy: false };
  const legacy = ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  return legacy === undefined ? { legacy: false } : { name: legacy, legacy: true };
}

/** Why an Ingress is not served, or undefined when it is. */
function ignoreReason(ing: Ingress, p: Played): string | undefined {
  const { name, legacy } = classOf(ing);
  if (name === undefined) {
    if (p.classless) return undefined;
    if (p.defaultClass)
      return `it has no class, so it belongs to the default IngressClass ${p.defaultClass.metadata.name}, and podnet plays ${p.role}`;
    return `it has no class and no IngressClass is marked default (${DEFAULT_CLASS_ANNOTATION}: "true"); pass --ingress-class NAME to choose the controller podnet plays`;
  }
  if (p.classes.has(name)) return undefined;
  const via = legacy ? `annotation ${LEGACY_CLASS_ANNOTATION}` : 'spec.ingressClassName';
  const ic = p.byName.get(name);
  if (!ic && !legacy)
    return `its class ${name} (spec.ingressClassName) names no IngressClass; pass --ingress-class ${name} to play its controller`;
  if (p.classes.size === 0)
    return `its class is ${name} (${via}) and no IngressClass is marked default; pass --ingress-class ${name} to play its controller`;
  const controller = ic ? `, whose controller is ${ic.spec?.controller}` : '';
  return `its class is ${name} (${via})${controller}; podnet plays ${p.role}`;
}

export function selectIngresses(store: Store, options: IngressTableOptions = {}): ServedIngresses {
  const p = played(store.list('IngressClass'), options);
  const served: Ingress[] = [];
  const ignored: IgnoredIngress[] = [];
  for (const ing of store.list('Ingress')) {
    let reason = ignoreReason(ing, p);
    if (reason === undefined && routingAnnotations(ing).canary)
      reason =
        'it is a canary (nginx.ingress.kubernetes.io/canary): it only takes a share of the traffic of the ' +
        'Ingress with the same host and path, which podnet routes to that Ingress';
    if (reason === undefined) served.push(ing);
    else ignored.push({ ingress: objectKey(ing), reason });
  }
  served.sort(compareIngresses);
  ignored.sort((a, b) => (a.ingress < b.ingress ? -1 : a.ingress > b.ingress ? 1 : 0));
  return { classes: [...p.classes].sort(), served, ignored };
}
