import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkRows,
  container,
  deployment,
  errors,
  meta,
  object,
  type Row,
  warnings,
} from './admission-fixtures.js';

const sel = { matchLabels: { app: 'web' } };
const template = (labels: Record<string, string> = { app: 'web' }, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [container()], ...spec },
});

test('workloads: selector required, valid, non-empty, matching the template labels (apps ValidateDeploymentSpec and friends)', () => {
  const rows: Row[] = [
    ['valid', deployment({ selector: sel, template: template() }), null],
    [
      'matchExpressions select too',
      deployment({
        selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] },
        template: template(),
      }),
      null,
    ],
    ['no selector', deployment({ template: template() }), 'spec.selector: Required value'],
    [
      'empty selector',
      deployment({ selector: {}, template: template() }),
      'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
    ],
    [
      'mismatch',
      deployment({ selector: sel, template: template({ app: 'api' }) }),
      'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    ],
    [
      'no template labels',
      deployment({ selector: sel, template: { spec: { containers: [container()] } } }),
      'spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`',
    ],
    [
      'bad operator',
      deployment({
        selector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['a'] }] },
        template: template(),
      }),
      'spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
    ],
    [
      'In without values',
      deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] }, template: template() }),
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'Exists with values',
      deployment({
        selector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] },
        template: template(),
      }),
      "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      'negative replicas',
      deployment({ replicas: -1, selector: sel, template: template() }),
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    ['zero replicas', deployment({ replicas: 0, selector: sel, template: template() }), null],
    [
      'template is a pod spec',
      deployment({ selector: sel, template: template({ app: 'web' }, { containers: [] }) }),
      'spec.template.spec.containers: Required value',
    ],
    [
      'restartPolicy Always only',
      deployment({ selector: sel, template: template({ app: 'web' }, { restartPolicy: 'Never' }) }),
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
    [
      'activeDeadlineSeconds',
      deployment({ selector: sel, template: template({ app: 'web' }, { activeDeadlineSeconds: 60 }) }),
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    ],
    [
      'template label key',
      deployment({ selector: sel, template: template({ app: 'web', 'a/b/c': 'x' }) }),
      'spec.template.metadata.labels: Invalid value: "a/b/c"',
    ],
    [
      'ReplicaSet',
      object('apps/v1', 'ReplicaSet', { spec: { selector: sel, template: template({ app: 'x' }) } }),
      '`selector` does not match template `labels`',
    ],
    [
      'DaemonSet empty selector',
      object('apps/v1', 'DaemonSet', { spec: { selector: {}, template: template() } }),
      'spec.selector: Invalid value: {}: empty selector is invalid for daemonset',
    ],
    ['DaemonSet', object('apps/v1', 'DaemonSet', { spec: { selector: sel, template: template() } }), null],
  ];
  checkRows(rows);
});

test('workloads: StatefulSet — DNS-label name, podManagementPolicy, serviceName, ordinals (ValidateStatefulSetSpec)', () => {
  const sts = (spec: Record<string, unknown>, name = 'db') =>
    object('apps/v1', 'StatefulSet', { spec: { selector: sel, template: template(), ...spec } }, meta(name));
  checkRows([
    ['valid', sts({ serviceName: 'db' }), null],
    ['without serviceName', sts({}), null],
    ['name with dots', sts({}, 'db.v1'), 'metadata.name: Invalid value: "db.v1": must not contain dots'],
    [
      'policy',
      sts({ podManagementPolicy: 'Random' }),
      "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
    ],
    ['Parallel', sts({ podManagementPolicy: 'Parallel' }), null],
    ['serviceName', sts({ serviceName: '1db' }), 'spec.serviceName: Invalid value: "1db": a DNS-1035 label'],
    [
      'ordinals',
      sts({ ordinals: { start: -1 } }),
      'spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'empty selector',
      sts({ selector: {} }),
      'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
    ],
  ]);
});

test('workloads: pod templates are not pods — ephemeral containers refused, hostPort 0 allowed with hostNetwork, warnings use the template path', () => {
  checkRows([
    [
      'ephemeral containers',
      deployment({
        selector: sel,
        template: template({ app: 'web' }, { ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }),
      }),
      'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
    ],
    [
      'hostNetwork template without hostPort',
      deployment({
        selector: sel,
        template: template(
          { app: 'web' },
          { hostNetwork: true, containers: [container({ ports: [{ containerPort: 80 }] })] },
        ),
      }),
      null,
    ],
  ]);
  const twice = deployment({
    selector: sel,
    template: template(
      { app: 'web' },
      {
        containers: [
          container({ ports: [{ containerPort: 80 }] }),
          container({ name: 'b', ports: [{ containerPort: 80 }] }),
        ],
      },
    ),
  });
  assert.deepEqual(warnings(twice), [
    'spec.template.spec.containers[1].ports[0]: duplicate port definition with spec.template.spec.containers[0].ports[0]',
  ]);
  assert.deepEqual(errors(twice), []);
});
