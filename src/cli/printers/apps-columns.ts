// Columns of the apps/v1 workloads: deployments, replicasets, statefulsets, daemonsets.

import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from '../../api/types.js';
import type { Columns, ColumnsByKind } from './columns.js';
import { containerCells, count, formatLabelSelector, formatLabels, selectorString, since } from './format.js';

const deployments: Columns<Deployment> = {
  headers: ['READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  cells(d, ctx) {
    const status = d.status ?? {};
    return [
      `${count(status.readyReplicas)}/${count(d.spec.replicas)}`,
      String(count(status.updatedReplicas)),
      String(count(status.availableReplicas)),
      since(d.metadata.creationTimestamp, ctx),
      ...containerCells(d.spec.template.spec.containers),
      // printDeployment prints the bare selector string (empty, not <none>, when empty).
      selectorString(d.spec.selector),
    ];
  },
};

const replicaSets: Columns<ReplicaSet> = {
  headers: ['DESIRED', 'CURRENT', 'READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  cells(rs, ctx) {
    const status = rs.status ?? {};
    return [
      String(count(rs.spec.replicas)),
      String(count(status.replicas)),
      String(count(status.readyReplicas)),
      since(rs.metadata.creationTimestamp, ctx),
      ...containerCells(rs.spec.template.spec.containers),
      formatLabelSelector(rs.spec.selector),
    ];
  },
};

const statefulSets: Columns<StatefulSet> = {
  headers: ['READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES'],
  cells: (sts, ctx) => [
    `${count(sts.status?.readyReplicas)}/${count(sts.spec.replicas)}`,
    since(sts.metadata.creationTimestamp, ctx),
    ...containerCells(sts.spec.template.spec.containers),
  ],
};

const daemonSets: Columns<DaemonSet> = {
  headers: ['DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  cells(ds, ctx) {
    const status = ds.status ?? {};
    return [
      String(count(status.desiredNumberScheduled)),
      String(count(status.currentNumberScheduled)),
      String(count(status.numberReady)),
      String(count(status.updatedNumberScheduled)),
      String(count(status.numberAvailable)),
      formatLabels(ds.spec.template.spec.nodeSelector),
      since(ds.metadata.creationTimestamp, ctx),
      ...containerCells(ds.spec.template.spec.containers),
      formatLabelSelector(ds.spec.selector),
    ];
  },
};

export const appsColumns: ColumnsByKind<'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet'> = {
  Deployment: deployments,
  ReplicaSet: replicaSets,
  StatefulSet: statefulSets,
  DaemonSet: daemonSets,
};
