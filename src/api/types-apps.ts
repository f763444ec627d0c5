// apps/v1 workloads (wire JSON; see types.ts).

import type { KubeObject, LabelSelector, PodTemplateSpec } from './types.js';

export interface Deployment extends KubeObject {
  kind: 'Deployment';
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec; [field: string]: unknown };
  status?: Record<string, unknown>;
}

export interface ReplicaSet extends KubeObject {
  kind: 'ReplicaSet';
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec; [field: string]: unknown };
  status?: Record<string, unknown>;
}

export interface StatefulSet extends KubeObject {
  kind: 'StatefulSet';
  spec: {
    replicas?: number;
    serviceName?: string;
    selector: LabelSelector;
    template: PodTemplateSpec;
    ordinals?: { start?: number };
    podManagementPolicy?: 'OrderedReady' | 'Parallel';
    [field: string]: unknown;
  };
  status?: Record<string, unknown>;
}

export interface DaemonSet extends KubeObject {
  kind: 'DaemonSet';
  spec: { selector: LabelSelector; template: PodTemplateSpec; [field: string]: unknown };
  status?: Record<string, unknown>;
}
