import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromMap, parseSelector } from '../../src/api/labels.js';
import type { Pod } from '../../src/api/types.js';
import { Store, type WatchEvent } from '../../src/store/store.js';

function pod(ns: string, name: string, labels?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [] },
  };
}

test('store: get/list by kind and namespace; resourceVersion grows on every write', () => {
  const s = new Store();
  s.put(pod('a', 'p1'));
  s.put(pod('b', 'p1'));
  s.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
  assert.equal(s.get('Pod', 'a', 'p1')?.metadata.namespace, 'a');
  assert.equal(s.get('Pod', 'c', 'p1'), undefined);
  assert.equal(s.get('Namespace', undefined, 'a')?.metadata.name, 'a');
  assert.deepEqual(
    s.list('Pod').map((p) => p.metadata.namespace),
    ['a', 'b'],
  );
  assert.equal(s.list('Pod', 'b').length, 1);
  assert.equal(s.resourceVersion, 3);
  assert.equal(s.get('Pod', 'b', 'p1')?.metadata.resourceVersion, '2');
});

test('store: select answers from the label index, per namespace, and follows relabelling', () => {
  const s = new Store();
  for (let i = 0; i < 50; i++) s.put(pod('ns', `p${i}`, { app: i % 2 ? 'web' : 'db', idx: String(i) }));
  s.put(pod('other', 'x', { app: 'web' }));
  assert.equal(s.select('Pod', 'ns', fromMap({ app: 'web' })).length, 25);
  assert.equal(s.select('Pod', 'ns', parseSelector('app=web,idx in (1,2,3)')).length, 2);
  assert.equal(s.select('Pod', 'ns', parseSelector('app notin (web)')).length, 25);
  assert.equal(s.select('Pod', 'ns', parseSelector('!app')).length, 0);
  assert.equal(s.select('Pod', 'ns', parseSelector('')).length, 50);
  assert.equal(s.select('Pod', 'empty', fromMap({ app: 'web' })).length, 0);

  // Labels changed in place, then put: the index must drop the old value.
  const p = s.get('Pod', 'ns', 'p1') as Pod;
  p.metadata.labels = { app: 'db' };
  s.put(p);
  assert.equal(s.select('Pod', 'ns', fromMap({ app: 'web' })).length, 24);
  assert.equal(s.select('Pod', 'ns', fromMap({ app: 'db' })).length, 26);
  s.delete('Pod', 'ns', 'p1');
  assert.equal(s.select('Pod', 'ns', fromMap({ app: 'db' })).length, 25);
});

test('store: watchers see ADDED, MODIFIED and DELETED in order', () => {
  const s = new Store();
  const seen: string[] = [];
  const stop = s.watch((e: WatchEvent) => seen.push(`${e.type} ${e.object.metadata.name}`));
  s.put(pod('a', 'x'));
  s.put(pod('a', 'x'));
  s.delete('Pod', 'a', 'x');
  stop();
  s.put(pod('a', 'y'));
  assert.deepEqual(seen, ['ADDED x', 'MODIFIED x', 'DELETED x']);
});

test('store: updates keep list order, per namespace as for the whole kind', () => {
  const s = new Store();
  for (const name of ['a', 'b', 'c']) s.put(pod('ns', name, { app: 'x' }));
  s.put({ ...(s.get('Pod', 'ns', 'a') as Pod), status: { phase: 'Running' } });
  assert.deepEqual(
    s.list('Pod', 'ns').map((p) => p.metadata.name),
    ['a', 'b', 'c'],
  );
  assert.deepEqual(
    s.list('Pod').map((p) => p.metadata.name),
    ['a', 'b', 'c'],
  );
  s.delete('Pod', 'ns', 'b');
  assert.deepEqual(
    s.list('Pod', 'ns').map((p) => p.metadata.name),
    ['a', 'c'],
  );
  assert.equal(s.select('Pod', 'ns', parseSelector('app=x')).length, 2);
});
