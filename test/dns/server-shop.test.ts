// The real zone of examples/shop, served and asked with dig: every owner and type in the zone
// comes back over the wire exactly as the zone answers it in-process.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import { type DNSServer, startDNSServer } from '../../src/dns/server.js';
import { presentData, type ResourceRecord } from '../../src/dns/types.js';
import type { ClusterZone } from '../../src/dns/zone.js';
import { computeZone } from '../../src/dns/zone-compute.js';
import { ManifestSource } from '../../src/source/manifests.js';
import { dig, digBatch, digUnavailable } from './server-dig.js';

const SHOP = fileURLToPath(new URL('../../../examples/shop', import.meta.url));
const skip = digUnavailable();

let zone: ClusterZone;
let server: DNSServer;
let port: number;

before(async () => {
  const snapshot = await new ManifestSource({ paths: [SHOP], config: defaultClusterConfig() }).load();
  assert.ok(snapshot.ok, JSON.stringify(snapshot.diagnostics));
  zone = computeZone(snapshot.store, snapshot.config);
  server = await startDNSServer({ zone: () => zone, listen: [{ address: '127.0.0.1', port: 0 }] });
  port = server.addresses[0].port;
});
after(() => server?.close());

const line = (r: ResourceRecord) => `${r.name} ${r.ttl} IN ${r.data.type} ${presentData(r.data)}`;

test('shop: dig gets the zone answer for every owner and type in the zone (Kubernetes DNS spec, RFC 1035)', {
  skip,
}, async () => {
  const questions = new Map<string, { name: string; type: string }>();
  for (const r of zone.records())
    questions.set(`${r.name} ${r.data.type}`, { name: r.name, type: r.data.type });
  assert.ok(questions.size > 20, `${questions.size} questions`);
  const asked = [...questions.values()];
  const results = await digBatch(
    port,
    asked.map((q) => [q.name, q.type, '+norec']),
  );
  assert.equal(results.length, asked.length);
  for (const [i, q] of asked.entries()) {
    const expected = zone.lookup(q.name, q.type as ResourceRecord['data']['type']);
    const got = results[i];
    assert.equal(got.status, expected.rcode, `${q.name} ${q.type}`);
    assert.deepEqual(got.flags, ['qr', 'aa'], `${q.name} ${q.type}`);
    assert.deepEqual(got.answer, expected.answers.map(line), `${q.name} ${q.type}`);
    assert.deepEqual(got.authority, expected.authority.map(line), `${q.name} ${q.type}`);
    assert.deepEqual(got.additional, expected.additional.map(line), `${q.name} ${q.type}`);
  }
});

test('shop: the headless postgres Service answers with its three pod addresses (Kubernetes DNS spec §2.4.1)', {
  skip,
}, async () => {
  const r = await dig(port, 'postgres.shop-data.svc.cluster.local', 'A', '+norec');
  assert.equal(r.status, 'NOERROR');
  assert.equal(r.answer.length, 3);
  const pod = await dig(port, 'postgres-0.postgres.shop-data.svc.cluster.local', 'A', '+norec', '+tcp');
  assert.equal(pod.answer.length, 1);
  assert.equal(pod.transport, 'TCP');
});

test('shop: a missing Service is NXDOMAIN with the SOA; a name outside the cluster is REFUSED (RFC 2308)', {
  skip,
}, async () => {
  const missing = await dig(port, 'nope.shop-api.svc.cluster.local', 'A', '+norec');
  assert.equal(missing.status, 'NXDOMAIN');
  assert.match(missing.authority[0] ?? '', / IN SOA /);
  assert.equal((await dig(port, 'shop.example.com', 'A', '+norec')).status, 'REFUSED');
});
