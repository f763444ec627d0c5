// The EndpointSlice controller: for every Service with a selector (not ExternalName), gathers
// its pods (from the label index) and the slices it manages, runs the pure reconciler and
// applies the result. Services without a selector keep whatever slices users wrote for them;
// slices this controller manages whose Service is gone are deleted, as the garbage collector
// deletes them through their owner reference.

import { canonicalJSON } from '../../api/hash.js';
import { fromMap } from '../../api/labels.js';
import type { EndpointSlice, Node } from '../../api/types.js';
import type { Store } from '../../store/store.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { hintsEnabled, type ZoneCapacity, zoneCapacity } from './endpointslice-hints.js';
import {
  CONTROLLER_NAME,
  hasManagedEndpoints,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
} from './endpointslice-objects.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SLICE, reconcileEndpointSlices } from './endpointslice-reconcile.js';

export interface EndpointSliceOptions {
  /** kube-controller-manager --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
}

/** Writes a slice unless the store already holds exactly it (the API server's no-op update). */
function putIfChanged(store: Store, slice: EndpointSlice): void {
  const current = store.get('EndpointSlice', slice.metadata.namespace, slice.metadata.name);
  if (current) {
    const { resourceVersion: _a, ...was } = current.metadata;
    const { resourceVersion: _b, ...now } = slice.metadata;
    if (canonicalJSON({ ...current, metadata: was }) === canonicalJSON({ ...slice, metadata: now })) return;
  }
  store.put(slice);
}

export function reconcileAllEndpointSlices(ctx: ControllerContext, options: EndpointSliceOptions = {}): void {
  const { store } = ctx;
  const nodes = new Map<string, Node | undefined>();
  const node = (name: string) => {
    if (!nodes.has(name)) nodes.set(name, store.get('Node', undefined, name));
    return nodes.get(name);
  };
  let zones: ZoneCapacity | undefined;

  for (const service of store.list('Service')) {
    if (!hasManagedEndpoints(service)) continue;
    const ns = service.metadata.namespace as string;
    if (hintsEnabled(service)) zones ??= zoneCapacity(store.list('Node'));
    const changes = reconcileEndpointSlices({
      service,
      pods: store.select('Pod', ns, fromMap(service.spec.selector as Record<string, string>)),
      existing: store.select(
        'EndpointSlice',
        ns,
        fromMap({ [LABEL_SERVICE_NAME]: service.metadata.name, [LABEL_MANAGED_BY]: CONTROLLER_NAME }),
      ),
      node,
      nameTaken: (name) => store.has('EndpointSlice', ns, name),
      maxEndpointsPerSlice: options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE,
      zones,
    });
    for (const w of changes.warnings) ctx.warn(service, w.field, w.message);
    for (const slice of changes.delete) store.delete('EndpointSlice', ns, slice.metadata.name);
    for (const slice of [...changes.update, ...changes.create]) putIfChanged(store, slice);
  }

  // Garbage collection: managed slices whose owning Service no longer exists.
  for (const slice of store.list('EndpointSlice')) {
    if (slice.metadata.labels?.[LABEL_MANAGED_BY] !== CONTROLLER_NAME) continue;
    const owner = slice.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Service');
    if (!owner) continue;
    const service = store.get('Service', slice.metadata.namespace, owner.name);
    const gone = !service || (service.metadata.uid !== undefined && service.metadata.uid !== owner.uid);
    if (gone) store.delete('EndpointSlice', slice.metadata.namespace, slice.metadata.name);
  }
}

export function makeEndpointSliceController(options: EndpointSliceOptions = {}): Controller {
  const name = `endpointslice/${options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE}`;
  const reads = ['Service', 'Pod', 'Node', 'EndpointSlice'] as const;
  return {
    name: 'endpointslice',
    reconcile: (ctx) =>
      ChangeTracker.of(ctx.store, name, reads).run(ctx, () => reconcileAllEndpointSlices(ctx, options)),
  };
}

export const endpointSliceController: Controller = makeEndpointSliceController();
