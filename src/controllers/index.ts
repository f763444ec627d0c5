// The controllers in the order a cluster's reconcilers settle, run until a pass writes nothing.

import { namespaceController } from './cluster/namespaces.js';
import { nodeController } from './cluster/nodes.js';
import { systemObjectsController } from './cluster/system.js';
import type { Controller, ControllerContext } from './context.js';
import { endpointsController } from './endpoints/endpoints.js';
import { endpointSliceController } from './endpoints/endpointslice.js';
import { endpointSliceMirroringController } from './endpoints/endpointslice-mirroring.js';
import { kubeletController } from './kubelet/kubelet.js';
import { schedulerController } from './scheduling/scheduler.js';
import { serviceAllocatorController } from './services/service-allocator.js';
import { daemonSetController } from './workloads/daemonset.js';
import { deploymentController } from './workloads/deployment.js';
import { replicaSetController } from './workloads/replicaset.js';
import { statefulSetController } from './workloads/statefulset.js';

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
