// The controllers in the order a cluster's reconcilers settle, run until a pass writes nothing.

import type { Controller, ControllerContext } from './context.js';
import { daemonSetController } from './daemonset.js';
import { deploymentController } from './deployment.js';
import { endpointsController } from './endpoints.js';
import { endpointSliceController } from './endpointslice.js';
import { endpointSliceMirroringController } from './endpointslice-mirroring.js';
import { kubeletController } from './kubelet.js';
import { namespaceController } from './namespaces.js';
import { nodeController } from './nodes.js';
import { replicaSetController } from './replicaset.js';
import { schedulerController } from './scheduler.js';
import { serviceAllocatorController } from './service-allocator.js';
import { statefulSetController } from './statefulset.js';
import { systemObjectsController } from './system.js';

export const CONTROLLERS: readonly Controller[] = [
  namespaceController,
  nodeController,
  systemObjectsController,
  deploymentController,
  replicaSetController,
  statefulSetController,
  daemonSetController,
  schedulerController,
  kubeletController,
  serviceAllocatorController,
  endpointSliceController,
  endpointsController,
  endpointSliceMirroringController,
];

/** Runs every controller in order until a whole pass leaves the store unchanged. */
export function converge(ctx: ControllerContext, maxPasses = 10): number {
  for (let pass = 1; pass <= maxPasses; pass++) {
    const before = ctx.store.resourceVersion;
    for (const c of CONTROLLERS) c.reconcile(ctx);
    if (ctx.store.resourceVersion === before) return pass;
  }
  ctx.error(
    undefined,
    undefined,
    `controllers did not settle after ${maxPasses} passes (a controller keeps rewriting objects)`,
  );
  return maxPasses;
}
