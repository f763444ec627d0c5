// Validation of a type-checked, defaulted object, by kind: the API server's ValidateX on create,
// then the checks that tie a Service to this cluster's configured ranges.

import type { ClusterConfig } from '../cluster-config.js';
import type { FieldError } from '../errors.js';
import type { KindMap, KubeObject } from '../types.js';
import { validateServiceFitsCluster } from './cluster-fit.js';
import { validateEndpointSlice, validateEndpoints } from './discovery.js';
import { validateIngress, validateIngressClass, validateNetworkPolicy } from './networking.js';
import { validateNamespace, validateNode } from './node.js';
import { validatePod } from './pod.js';
import {
  validateAdminNetworkPolicy,
  validateBaselineAdminNetworkPolicy,
  validateClusterNetworkPolicy,
} from './policy-api.js';
import { validateSecret } from './secret.js';
import { validateService } from './service.js';
import {
  validateDaemonSet,
  validateDeployment,
  validateReplicaSet,
  validateStatefulSet,
} from './workloads.js';

export { Path, TextFieldError } from './path.js';
export { checkTypes } from './schema.js';
export { SCHEMAS } from './types.js';

export interface Validation {
  errors: FieldError[];
  warnings: FieldError[];
}

export function validateObject(obj: KubeObject, config: ClusterConfig): Validation {
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const o = obj as KindMap[keyof KindMap];
  switch (o.kind) {
    case 'Namespace':
      validateNamespace(o, errors);
      break;
    case 'Node':
      validateNode(o, errors);
      break;
    case 'Pod':
      validatePod(o, errors, warnings);
      break;
    case 'Service':
      validateService(o, errors, warnings);
      if (errors.length === 0) validateServiceFitsCluster(o, config, errors);
      break;
    case 'Endpoints':
      validateEndpoints(o, errors);
      break;
    case 'Secret':
      validateSecret(o, errors);
      break;
    case 'Deployment':
      validateDeployment(o, errors, warnings);
      break;
    case 'ReplicaSet':
      validateReplicaSet(o, errors, warnings);
      break;
    case 'StatefulSet':
      validateStatefulSet(o, errors, warnings);
      break;
    case 'DaemonSet':
      validateDaemonSet(o, errors, warnings);
      break;
    case 'EndpointSlice':
      validateEndpointSlice(o, errors);
      break;
    case 'Ingress':
      validateIngress(o, errors, warnings);
      break;
    case 'IngressClass':
      validateIngressClass(o, errors);
      break;
    case 'NetworkPolicy':
      validateNetworkPolicy(o, errors);
      break;
    case 'ClusterNetworkPolicy':
      validateClusterNetworkPolicy(o, errors, warnings);
      break;
    case 'AdminNetworkPolicy':
      validateAdminNetworkPolicy(o, errors, warnings);
      break;
    case 'BaselineAdminNetworkPolicy':
      validateBaselineAdminNetworkPolicy(o, errors, warnings);
      break;
  }
  return { errors, warnings };
}
