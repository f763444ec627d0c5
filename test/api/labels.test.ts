import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatSelector,
  fromLabelSelector,
  fromMap,
  matches,
  parseSelector,
  SelectorSyntaxError,
} from '../../src/api/labels.js';

const labels = { app: 'web', tier: 'frontend', env: 'prod' };

test('label selectors: matchLabels and matchExpressions are ANDed (metav1.LabelSelector)', () => {
  const cases: [
    string,
    Parameters<typeof fromLabelSelector>[0],
    Record<string, string> | undefined,
    boolean,
  ][] = [
    ['empty selector matches everything', {}, labels, true],
    ['empty selector matches an object without labels', {}, undefined, true],
    ['matchLabels equal', { matchLabels: { app: 'web' } }, labels, true],
    ['matchLabels differ', { matchLabels: { app: 'db' } }, labels, false],
    ['matchLabels all pairs', { matchLabels: { app: 'web', tier: 'backend' } }, labels, false],
    ['In', { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }] }, labels, true],
    ['In missing key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels, false],
    ['NotIn', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels, false],
    [
      'NotIn matches a missing key',
      { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] },
      labels,
      true,
    ],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels, false],
    [
      'matchLabels AND matchExpressions',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
      labels,
      false,
    ],
  ];
  for (const [name, sel, l, want] of cases) assert.equal(matches(fromLabelSelector(sel), l), want, name);
});

test('label selectors: a prototype key is not a label (__proto__, constructor)', () => {
  const exists = (key: string) => ({ requirements: [{ key, operator: 'Exists' as const, values: [] }] });
  assert.equal(matches(exists('constructor'), {}), false);
  assert.equal(matches(exists('__proto__'), {}), false);
  assert.equal(matches(exists('toString'), { app: 'x' }), false);
});

test('kubectl -l syntax: equality, set-based, existence (k8s.io/apimachinery/pkg/labels Parse)', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['app=web', labels, true],
    ['app==web', labels, true],
    ['app!=web', labels, false],
    ['app!=db', labels, true],
    ['zone!=a', labels, true], // != matches objects without the key, as upstream
    ['env in (dev,prod)', labels, true],
    ['env notin (dev, prod)', labels, false],
    ['tier', labels, true],
    ['!tier', labels, false],
    ['!zone', labels, true],
    ['app=web,tier=frontend', labels, true],
    ['app=web, tier=backend', labels, false],
    ['', labels, true],
    ['env notin   (dev)', labels, true],
    ['env in(prod)', labels, true],
    ['  app = web ,  tier  ', labels, true],
    ['app=', labels, false],
    ['app=', { app: '' }, true],
    ['replicas>3', { replicas: '5' }, true],
    ['replicas>5', { replicas: '5' }, false],
    ['replicas<10', { replicas: '5' }, true],
    ['replicas<10', { replicas: 'five' }, false],
    ['replicas>-1', {}, false],
    ['example.com/team=net', { 'example.com/team': 'net' }, true],
  ];
  for (const [input, l, want] of cases) assert.equal(matches(parseSelector(input), l), want, input);
});

test('kubectl -l syntax: malformed selectors are errors', () => {
  for (const bad of [
    'app=web,',
    ',',
    'a in (x',
    'a in ()',
    '=x',
    'a b',
    'app=web)',
    'x>y',
    'x>',
    'a in x',
    'bad key!=1',
    '-bad=1',
    'app=-bad-',
    `app=${'v'.repeat(64)}`,
  ]) {
    assert.throws(() => parseSelector(bad), SelectorSyntaxError, bad);
  }
});

test('selectors print in a canonical order, as kubectl shows them', () => {
  assert.equal(formatSelector(fromMap({ tier: 'a', app: 'b' })), 'app=b,tier=a');
  assert.equal(formatSelector(parseSelector('x notin (b,a),!y,z')), 'x notin (a,b),!y,z');
  assert.equal(formatSelector(parseSelector('env in (prod)')), 'env=prod');
  assert.equal(formatSelector(parseSelector('b<3,a>1')), 'a>1,b<3');
});
