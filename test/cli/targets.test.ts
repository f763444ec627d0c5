import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodnetError } from '../../src/api/errors.js';
import { parseTargets, resolveType } from '../../src/cli/get.js';

test('resource types: plural, singular, short name, Kind and group-qualified forms, case-insensitive (kubectl RESTMapper)', () => {
  const cases: [string, string[]][] = [
    ['pods', ['Pod']],
    ['pod', ['Pod']],
    ['po', ['Pod']],
    ['Pod', ['Pod']],
    ['PODS', ['Pod']],
    ['svc', ['Service']],
    ['ep', ['Endpoints']],
    ['endpoints', ['Endpoints']],
    ['deploy', ['Deployment']],
    ['deployments.apps', ['Deployment']],
    ['deployment.v1.apps', ['Deployment']],
    ['rs', ['ReplicaSet']],
    ['sts', ['StatefulSet']],
    ['ds', ['DaemonSet']],
    ['no', ['Node']],
    ['ns', ['Namespace']],
    ['endpointslices', ['EndpointSlice']],
    ['EndpointSlice', ['EndpointSlice']],
    ['endpointslices.discovery.k8s.io', ['EndpointSlice']],
    ['ing', ['Ingress']],
    ['ingressclasses', ['IngressClass']],
    ['netpol', ['NetworkPolicy']],
    ['networkpolicies.networking.k8s.io', ['NetworkPolicy']],
    ['secrets', ['Secret']],
    // kubectl's `all` category, in discovery order (core, then apps).
    ['all', ['Pod', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']],
  ];
  for (const [type, kinds] of cases) assert.deepEqual(resolveType(type), kinds, type);
});

test('resource types: an unknown type is bad usage, in kubectl words', () => {
  for (const type of ['foo', 'configmaps', 'pods.apps', 'deployments.v2.apps', '']) {
    assert.throws(
      () => resolveType(type),
      (e: unknown) =>
        e instanceof PodnetError &&
        e.code === 'InvalidUsage' &&
        e.message === `the server doesn't have a resource type "${type}"`,
      type,
    );
  }
});

test('arguments: TYPE[,TYPE], TYPE NAME..., TYPE/NAME... (kubectl ResourceTypeOrNameArgs)', () => {
  assert.deepEqual(parseTargets(['svc,pods']), {
    targets: [{ kind: 'Service' }, { kind: 'Pod' }],
    single: false,
  });
  assert.deepEqual(parseTargets(['pods,po,']), { targets: [{ kind: 'Pod' }], single: false });
  assert.deepEqual(parseTargets(['pod', 'a']), { targets: [{ kind: 'Pod', name: 'a' }], single: true });
  assert.deepEqual(parseTargets(['pod', 'a', 'b']), {
    targets: [
      { kind: 'Pod', name: 'a' },
      { kind: 'Pod', name: 'b' },
    ],
    single: false,
  });
  assert.deepEqual(parseTargets(['svc/web', 'deploy/web']), {
    targets: [
      { kind: 'Service', name: 'web' },
      { kind: 'Deployment', name: 'web' },
    ],
    single: false,
  });
  assert.deepEqual(parseTargets(['svc/web']), { targets: [{ kind: 'Service', name: 'web' }], single: true });
  assert.equal(parseTargets(['all', 'web']).single, false);
});

test('arguments: malformed forms are bad usage', () => {
  for (const args of [
    [],
    ['pods', 'pods/x'],
    ['pods/x', 'y'],
    ['all/x'],
    ['pods/'],
    ['/x'],
    ['pods/a/b'],
    [','],
    ['svc,foo'],
  ]) {
    assert.throws(
      () => parseTargets(args),
      (e: unknown) => e instanceof PodnetError && e.code === 'InvalidUsage',
      JSON.stringify(args),
    );
  }
});
